# exit: 2
mcalc diff "x./0" --wrt x
