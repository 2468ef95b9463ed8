# exit: 2
mcalc eval "x[5]" --at "x = [1; 2; 3]"
