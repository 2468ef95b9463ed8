# exit: 0
mcalc diff "X'" --wrt X --let "X: matrix(2, 3)" --expand
