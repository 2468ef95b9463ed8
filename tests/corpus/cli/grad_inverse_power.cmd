# exit: 0
mcalc grad "sum(A^-1*x)" --wrt A --check
