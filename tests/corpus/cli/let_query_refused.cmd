# exit: 2
mcalc diff "x'*x" --wrt x --let "x: vector(n); grad(x'*x, x)"
