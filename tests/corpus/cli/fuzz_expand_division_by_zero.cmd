# exit: 2
mcalc diff "sum(x)/0" --wrt x --expand --let "x: vector(2)"
