# exit: 0
mcalc diff "A*x" --wrt A --check
