# exit: 0
mcalc derive "sum(tanh(W3*tanh(W2*tanh(W1*x))))" --wrt W1 --let "x: vector(n); W1, W2, W3: matrix(n, n)" --format markdown
