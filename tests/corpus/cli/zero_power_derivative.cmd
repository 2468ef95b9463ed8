# exit: 2
mcalc diff "0^a" --wrt a
