# exit: 0
mcalc check "x'*A*x" --wrt x --op grad --answer "(A + A')*x" --format latex
