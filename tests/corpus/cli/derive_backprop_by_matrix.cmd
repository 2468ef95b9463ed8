# exit: 0
mcalc derive "sum(W*x)" --wrt W --let "W: matrix(m, n); x: vector(n)"
