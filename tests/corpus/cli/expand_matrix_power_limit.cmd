# exit: 2
mcalc diff "A^-2 - A^-22" --wrt A --let "A: matrix(2)" --expand
