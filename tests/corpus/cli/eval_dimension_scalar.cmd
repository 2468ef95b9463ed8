# exit: 0
mcalc eval "sum(x)/n" --let "x: vector(n)" --at "x = [1; 2; 3; 6]"
