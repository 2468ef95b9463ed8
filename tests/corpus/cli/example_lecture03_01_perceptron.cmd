# exit: 0
mcalc run examples/lecture03/01_perceptron.mc --decimals 4
