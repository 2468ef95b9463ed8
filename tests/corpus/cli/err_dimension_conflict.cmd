# exit: 2
mcalc eval "x + y" --at "x = [1; 2; 3]; y = [1; 2]"
