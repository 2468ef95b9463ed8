# exit: 2
mcalc eval "det(exp(eye(7000)))"
