# exit: 0
mcalc run examples/lecture03/13_network_deltas.mc --decimals 4
