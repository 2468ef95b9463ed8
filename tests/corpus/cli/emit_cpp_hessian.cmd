# exit: 0
mcalc hessian "sum(softplus(X*w))" --wrt w --let "X: matrix(N, n); w: vector(n)" --emit cpp --name logistic_hessian
