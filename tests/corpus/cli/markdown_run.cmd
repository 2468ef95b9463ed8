# exit: 0
mcalc run grammar/examples/network_1_2_3_1.mc --precision 4 --format markdown
