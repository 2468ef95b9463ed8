# exit: 0
mcalc run examples/lecture03/09_vector_chain_rule.mc --decimals 4
