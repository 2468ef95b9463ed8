# exit: 0
mcalc run examples/lecture03/04_identity_jacobian.mc --decimals 4
