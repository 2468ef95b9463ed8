# exit: 0
mcalc check "sum(sigmoid(z).^2)" --let "z = W*x" --wrt z --op grad --answer "2*sigmoid(z).^2.*(1 - sigmoid(z))"
