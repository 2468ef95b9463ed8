# exit: 2
mcalc train tests/corpus/train/errors/diverges.mc --data tests/corpus/train/errors/linear.csv --lr 10 --epochs 1000
