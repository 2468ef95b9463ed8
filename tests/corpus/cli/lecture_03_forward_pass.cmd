# exit: 0
mcalc run tests/corpus/lecture/03_forward_pass.mc --decimals 4
