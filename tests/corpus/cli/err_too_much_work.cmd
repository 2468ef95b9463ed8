# exit: 2
mcalc eval "det(A)" --at "A = [1, 2; 3, 4]" --max-work 4
