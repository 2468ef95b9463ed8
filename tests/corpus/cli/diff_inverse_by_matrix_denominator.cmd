# exit: 0
mcalc diff "inv(X)" --wrt X --layout denominator --check
