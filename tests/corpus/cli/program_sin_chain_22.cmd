# exit: 0
mcalc run tests/corpus/files/sin_chain_22.mc --at "a0 = 0.3" --check
