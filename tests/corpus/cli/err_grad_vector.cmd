# exit: 2
mcalc grad "A*x" --wrt x
