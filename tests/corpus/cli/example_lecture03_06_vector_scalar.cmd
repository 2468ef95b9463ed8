# exit: 0
mcalc run examples/lecture03/06_vector_scalar.mc --decimals 4
