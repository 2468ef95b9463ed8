# exit: 0
(cat tests/corpus/train/network_named_z.mc; echo 'derive(L, W2)') | mcalc run - --format markdown --decimals 4
