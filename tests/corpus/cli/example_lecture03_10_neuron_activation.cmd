# exit: 0
mcalc run examples/lecture03/10_neuron_activation.mc --decimals 4
