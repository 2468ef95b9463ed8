# exit: 0
mcalc diff "w'*x + b" --wrt w --let "x, w: vector(n); b: scalar" --layout denominator
