# exit: 0
mcalc derive L --wrt W2 --let "$(cat tests/corpus/train/network_named_z.mc)" --decimals 4 --hadamard otimes
