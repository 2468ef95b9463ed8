# exit: 0
mcalc diff "a*A" --wrt a --let "a: scalar; A: matrix(2, 3)" --check
