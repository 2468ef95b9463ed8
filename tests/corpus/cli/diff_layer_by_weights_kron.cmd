# exit: 0
mcalc diff "sigmoid(W*x + b)" --wrt W --check
