# exit: 0
mcalc derive "sin(x^2)" --wrt x --let "x: scalar" --format latex --standalone
