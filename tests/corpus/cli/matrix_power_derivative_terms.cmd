# exit: 2
mcalc diff "x'*A^30000*x" --wrt A
