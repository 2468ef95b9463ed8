# exit: 2
mcalc grad "det(A)" --wrt A --expand --let "A: matrix(6)" --timeout 0.2
