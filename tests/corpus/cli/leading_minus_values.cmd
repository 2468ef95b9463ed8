# exit: 0
mcalc eval "-a*b" --at "a = -1; b = 2"
