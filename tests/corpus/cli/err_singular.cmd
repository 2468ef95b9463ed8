# exit: 2
mcalc eval "inv(A)" --at "A = [1, 2; 2, 4]"
