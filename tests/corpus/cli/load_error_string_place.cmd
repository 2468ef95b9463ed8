# exit: 2
mcalc eval "x" --at 'x = "X.npy"'
