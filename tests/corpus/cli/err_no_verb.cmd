# exit: 2
mcalc
