# exit: 1
mcalc check "sigmoid(W*x)" --wrt W --answer "diag(sigmoid(W*x))*kron(x', eye(n))"
