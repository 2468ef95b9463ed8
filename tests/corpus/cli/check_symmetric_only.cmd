# exit: 1
mcalc check "x'*A*x" --op grad --wrt x --let "x: vector(n); A: matrix(n, n)" --answer "2*A*x"
