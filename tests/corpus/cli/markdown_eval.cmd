# exit: 0
mcalc eval "A*x" --at "A = [1, 2; 3, 4]; x = [1; 1]" --format markdown
