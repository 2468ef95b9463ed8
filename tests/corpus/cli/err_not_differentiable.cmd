# exit: 2
mcalc grad "sum(A^-1*x)" --wrt A
