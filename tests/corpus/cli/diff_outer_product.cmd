# exit: 0
mcalc diff "(x*x')*a" --let "a: vector(n)" --wrt x
