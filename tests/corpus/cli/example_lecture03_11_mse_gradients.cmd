# exit: 0
mcalc run examples/lecture03/11_mse_gradients.mc --decimals 4
