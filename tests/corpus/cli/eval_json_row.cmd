# exit: 0
mcalc eval "x'" --at "x = [1, 2, 3]" --format json
