# exit: 2
mcalc train tests/corpus/train/errors/no_parameters.mc --data tests/corpus/train/errors/linear.csv
