# exit: 0
mcalc diff "sin(pi*a)" --wrt a --at "a = 0.5"
