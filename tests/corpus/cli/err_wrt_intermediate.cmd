# exit: 2
mcalc diff "x" --wrt "2*x"
