# exit: 2
mcalc diff "x'*x" --wrt "x +"
