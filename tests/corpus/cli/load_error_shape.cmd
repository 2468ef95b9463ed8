# exit: 2
mcalc eval "A*x" --let "A: matrix(n, n)" --at 'A = load("tests/corpus/files/X.npy"); x = [1; 1]'
