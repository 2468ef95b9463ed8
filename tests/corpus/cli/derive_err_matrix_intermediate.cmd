# exit: 2
mcalc derive "(x*x')*y" --wrt x --let "x, y: vector(n)"
