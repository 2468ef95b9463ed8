# exit: 0
mcalc derive "max(0, w'*x + b)" --wrt w --let "x, w: vector(n); b: scalar" --method backprop
