# exit: 0
mcalc derive "sum(A*x*x')" --wrt x --let "A: matrix(n); x: vector(n)"
