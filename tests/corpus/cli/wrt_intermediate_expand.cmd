# exit: 0
mcalc grad "sum(sigmoid(z).^2)" --let "W: matrix(2, 2); x: vector(2); z = W*x" --wrt z --expand
