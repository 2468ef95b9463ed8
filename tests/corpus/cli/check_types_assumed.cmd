# exit: 0
mcalc check-types "x'*A*x"
