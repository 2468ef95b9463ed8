# exit: 2
mcalc eval "x'*x + b" --at "x = [1; 2]"
