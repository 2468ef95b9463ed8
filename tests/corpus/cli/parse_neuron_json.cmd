# exit: 0
mcalc parse "max(0, w'*x + b)" --let "x, w: vector(n); b: scalar" --format json
