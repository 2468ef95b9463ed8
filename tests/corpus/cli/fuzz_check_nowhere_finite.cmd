# exit: 2
mcalc diff "a*log(b) + a*log(-b)" --wrt a --check
