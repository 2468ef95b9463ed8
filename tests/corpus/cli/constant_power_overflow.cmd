# exit: 2
mcalc diff "a*2^2^40" --wrt a
