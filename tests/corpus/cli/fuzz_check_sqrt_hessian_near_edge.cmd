# exit: 0
mcalc hessian "sqrt(-x'*z)" --wrt z --check
