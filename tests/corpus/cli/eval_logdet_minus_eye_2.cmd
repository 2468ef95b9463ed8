# exit: 0
mcalc eval "logdet(-eye(2))"
