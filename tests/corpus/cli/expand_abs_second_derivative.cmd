# exit: 0
mcalc hessian "sum(abs(x).^3)" --wrt x --expand --let "x: vector(3)"
