# exit: 0
mcalc eval "grad(x'*x, x)" --at "x = [1; 2]"
