# exit: 0
mcalc derive "sum((y - max(0, X*w + b)).^2)/N" --wrt w --let "X: matrix(N, n); y: vector(N); w: vector(n); b: scalar"
