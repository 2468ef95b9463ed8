# exit: 1
mcalc check "x'*A*x" --wrt x --op grad --answer "2*A*x" --format markdown
