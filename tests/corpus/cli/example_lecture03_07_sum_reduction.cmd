# exit: 0
mcalc run examples/lecture03/07_sum_reduction.mc --decimals 4
