# exit: 0
mcalc eval "X'" --format json --at 'X = load("tests/corpus/files/X_fortran_f4.npy")'
