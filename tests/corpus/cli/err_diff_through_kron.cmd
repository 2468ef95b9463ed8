# exit: 2
mcalc diff "kron(x, x)" --wrt x
