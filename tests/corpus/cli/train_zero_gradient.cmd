# exit: 2
mcalc train examples/xor_perceptron.mc --data examples/xor.csv --epochs 5
