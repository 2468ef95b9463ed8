# exit: 0
mcalc diff "((x*x').*A)*x" --wrt x --check
