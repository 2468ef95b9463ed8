# exit: 2
mcalc grad "tr(A^1e308)" --wrt A
