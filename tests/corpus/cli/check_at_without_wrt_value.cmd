# exit: 2
mcalc diff "a" --wrt c --check --at "a = 1"
