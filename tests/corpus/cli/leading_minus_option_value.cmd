# exit: 2
mcalc diff "a^2" --wrt a --seed -1 --check
