# exit: 1
mcalc check "sum(x)" --wrt x --let "x: vector(n)" --answer "eye(n)"
