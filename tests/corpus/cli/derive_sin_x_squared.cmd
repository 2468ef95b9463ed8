# exit: 0
mcalc derive "sin(x^2)" --wrt x --let "x: scalar" --at "x = 1.5" --decimals 4
