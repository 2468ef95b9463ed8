# exit: 0
mcalc hessian "norm2(W*x - y)^2" --wrt W --check
