# exit: 2
mcalc derive "tanh(W*x)" --wrt x --let "W: matrix(m, n); x: vector(n)" --method backprop
