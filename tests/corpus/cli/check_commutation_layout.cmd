# exit: 1
mcalc check "X'" --wrt X --answer "commutation(n, m)" --let "X: matrix(m, n)"
