# exit: 0
mcalc diff "diff(a^3, a)" --wrt a
