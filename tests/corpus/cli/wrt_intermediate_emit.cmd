# exit: 0
mcalc grad "sum(sigmoid(z).^2)" --let "z = W*x" --wrt z --emit numpy
