# exit: 0
mcalc grad "det(A)" --wrt A --at "A = [1, 1; 1, 1]"
