# exit: 2
mcalc diff "a^2" --wrt a --bogus
