# exit: 2
mcalc derive "sum(W*x)" --wrt W --let "W: matrix(m, n); x: vector(n)" --method chain
