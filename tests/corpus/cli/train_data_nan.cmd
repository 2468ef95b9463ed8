# exit: 2
mcalc train tests/corpus/train/errors/program.mc --data tests/corpus/train/errors/data_nan.csv --epochs 1
