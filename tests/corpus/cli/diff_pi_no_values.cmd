# exit: 0
mcalc diff "pi*c" --wrt c
