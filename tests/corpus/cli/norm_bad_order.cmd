# exit: 2
mcalc grad "norm(x, 3)" --wrt x
