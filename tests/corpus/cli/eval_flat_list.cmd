# exit: 0
mcalc eval "x'*x" --at "x = [1, 2, 3]"
