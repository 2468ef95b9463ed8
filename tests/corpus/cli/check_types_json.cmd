# exit: 0
mcalc check-types "sum((y - max(0, X*w + b)).^2)/N" --let "X: matrix(N, n); y: vector(N); w: vector(n); b: scalar" --format json
