# exit: 0
mcalc eval "sum(log(x))" --at "x = [1; -1]"
