# exit: 0
mcalc hessian "1e308*a^2" --wrt a --check
