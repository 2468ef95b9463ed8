# exit: 0
mcalc diff "+pi" --wrt _p --check
