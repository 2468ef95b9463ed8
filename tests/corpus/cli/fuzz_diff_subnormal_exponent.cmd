# exit: 0
mcalc diff "x.^2e-308" --wrt x --check
