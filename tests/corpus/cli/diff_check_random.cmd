# exit: 0
mcalc diff "sin(x^2)" --wrt x --let "x: scalar" --check
