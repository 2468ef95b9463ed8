# exit: 0
mcalc diff "a + 999999999999999992*x + 1 + c^c" --wrt c --check
