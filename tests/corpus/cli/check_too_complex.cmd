# exit: 2
mcalc check "x'*A*x" --op grad --wrt x --answer "A^1000000*x"
