# exit: 2
mcalc diff "(-4)^c" --wrt c
