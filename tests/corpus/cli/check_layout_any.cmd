# exit: 0
mcalc check "A*x" --wrt x --let "A: matrix(m, n); x: vector(n)" --answer "A'" --layout any --format json
