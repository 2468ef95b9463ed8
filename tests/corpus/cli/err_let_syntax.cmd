# exit: 2
mcalc parse "x" --let "x: vectr(n)"
