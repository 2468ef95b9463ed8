# exit: 0
mcalc step examples/lecture03/03_network_step.mc --loss L --lr 0.1
