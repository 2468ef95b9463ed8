# exit: 2
mcalc train examples/xor.mc --data examples/xor.csv --decimals 2
