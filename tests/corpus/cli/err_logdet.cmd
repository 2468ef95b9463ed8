# exit: 2
mcalc eval "logdet(A)" --at "A = [0, 1; 1, 0]"
