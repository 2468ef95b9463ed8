# exit: 2
mcalc eval "x'*x" --at "x = [1, 2; 3, 4]"
