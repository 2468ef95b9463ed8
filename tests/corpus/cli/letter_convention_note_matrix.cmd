# exit: 2
mcalc grad "sum(x)/N" --wrt x
