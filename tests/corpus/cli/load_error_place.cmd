# exit: 2
mcalc eval "x" --at 'x = 2*load("tests/corpus/files/v.npy")'
