# exit: 2
mcalc eval "a" --at "a = 1" --decimals 400
