# exit: 0
mcalc step grammar/examples/network_1_2_3_1.mc --loss L --lr 0.1
