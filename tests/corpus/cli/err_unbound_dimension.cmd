# exit: 2
mcalc eval "sum(ones(n))" --let "x: vector(n)"
