# exit: 0
mcalc diff "A*X*B" --wrt X --let "A: matrix(2, 3); X: matrix(3, 2); B: matrix(2, 2)" --expand --format json
