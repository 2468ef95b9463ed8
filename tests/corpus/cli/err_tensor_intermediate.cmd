# exit: 2
mcalc diff "((x*x').*A)*x" --wrt x
