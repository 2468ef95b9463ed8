# exit: 2
mcalc check "x'*x" --wrt x --let "x: vector(n)" --answer "2*x'*"
