# exit: 2
mcalc eval "sum(X*w)" --at "X = [1, 2; 3, 4; 5, 6]; w = [1; 1]" --max-elements 5
