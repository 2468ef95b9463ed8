# exit: 0
mcalc eval "A*x + b" --at "A = [1, 2; 3, 4]; x = [1; 1]; b = 0.5"
