# exit: 2
mcalc eval "logdet(diag(x))" --at "x = [2; -3]"
