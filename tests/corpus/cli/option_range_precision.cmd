# exit: 2
mcalc eval "a" --at "a = 1" --precision 0
