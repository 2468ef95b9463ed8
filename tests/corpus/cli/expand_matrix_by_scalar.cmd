# exit: 0
mcalc diff "[1.5, -2; 0, 1e-05]" --wrt e --let "e: scalar" --expand
