# exit: 0
mcalc train examples/xor_perceptron.mc --data examples/xor.csv --epochs 0 --accuracy
