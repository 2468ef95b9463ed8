# exit: 2
mcalc diff "x" --wrt x --let "x: vector(11)" --expand
