# exit: 0
mcalc derive "[log(x^2); sin(3*x)]" --wrt x --let "x: scalar" --at "x = 2" --decimals 4 --format latex --standalone
