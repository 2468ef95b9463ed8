# exit: 0
mcalc run examples/lecture03/02_activations.mc --decimals 4
