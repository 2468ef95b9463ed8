# exit: 0
mcalc eval "X*w + y" --at 'X = load("tests/corpus/files/X.npy"); w = load("tests/corpus/files/one.npz"); y = load("tests/corpus/files/data_deflated.npz", "y")'
