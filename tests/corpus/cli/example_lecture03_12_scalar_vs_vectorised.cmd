# exit: 0
mcalc run examples/lecture03/12_scalar_vs_vectorised.mc --decimals 4
