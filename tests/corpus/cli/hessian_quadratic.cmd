# exit: 0
mcalc hessian "x'*A*x" --wrt x --format json
