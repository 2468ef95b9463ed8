# exit: 0
mcalc eval "1/0"
