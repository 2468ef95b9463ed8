# exit: 2
mcalc diff "-(a*log(b) + (2 - a)*log(0 - b))" --wrt a --check --layout denominator
