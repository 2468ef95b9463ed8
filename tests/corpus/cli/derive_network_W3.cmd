# exit: 0
mcalc derive L --wrt W3 --let "$(cat tests/corpus/train/network_named_z.mc)" --decimals 4
