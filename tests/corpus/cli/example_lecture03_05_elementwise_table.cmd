# exit: 0
mcalc run examples/lecture03/05_elementwise_table.mc --decimals 4
