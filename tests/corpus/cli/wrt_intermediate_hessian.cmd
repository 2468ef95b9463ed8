# exit: 0
mcalc hessian "sum(sigmoid(z).^2)" --let "z = W*x" --wrt z --check
