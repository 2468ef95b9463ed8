# exit: 2
mcalc grad "sum(vec(X))" --wrt X
