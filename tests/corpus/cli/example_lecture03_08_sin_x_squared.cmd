# exit: 0
mcalc run examples/lecture03/08_sin_x_squared.mc --decimals 4
