# exit: 0
mcalc derive "sum((a - y).^2)" --let "z = W*x; a = sigmoid(z)" --wrt z
