# exit: 0
mcalc grad "tr(A^1000)" --wrt A
