# exit: 0
mcalc train examples/xor.mc --data examples/xor.csv --epochs 200 --lr 2 --seed 1 --accuracy --format markdown
