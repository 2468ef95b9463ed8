# exit: 1
mcalc check "max(0, w'*x + b)" --wrt w --let "w, x: vector(n); b: scalar" --answer "x'"
