# exit: 2
mcalc eval "ones(10000, 10000)"
