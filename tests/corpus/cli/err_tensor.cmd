# exit: 2
mcalc diff "A*x" --wrt A
