# exit: 0
mcalc grad "sum((X*w - y).^2) + w'*A*w" --wrt w --let "X: matrix(N, n); y: vector(N); w: vector(n)" --at 'X = load("tests/corpus/files/X_header.csv"); y = load("tests/corpus/files/y.csv"); A = load("tests/corpus/files/A.mtx"); w = [0.5; -0.5]'
