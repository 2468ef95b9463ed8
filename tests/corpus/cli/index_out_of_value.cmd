# exit: 2
mcalc diff "B[2, 1]" --wrt B --at "B = [0.8]"
