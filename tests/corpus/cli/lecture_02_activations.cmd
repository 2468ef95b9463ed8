# exit: 0
mcalc run tests/corpus/lecture/02_activations.mc --decimals 4
