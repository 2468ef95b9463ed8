# exit: 0
mcalc grad "norm(x, 2) + norm(x, 1)" --wrt x
