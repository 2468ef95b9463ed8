# exit: 0
mcalc grad "sum(sigmoid(z).^2)" --let "z = W*x" --wrt z --at "W = [1, 2; 3, 4]; x = [0.1; -0.2]" --check
