# exit: 0
mcalc grad "sum(softplus(X*w)) - y'*(X*w)" --wrt w --let "X: matrix(N, n); y: vector(N); w: vector(n)" --emit numpy
