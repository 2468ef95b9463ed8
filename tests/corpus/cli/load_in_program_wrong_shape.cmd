# exit: 2
printf 'X : matrix(N, 3) = load("tests/corpus/files/X.npy")\nsum(X)\n' | mcalc run -
