# exit: 0
mcalc diff " + c^g^c^  44444444" --wrt g --check
