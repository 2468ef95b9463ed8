# exit: 2
mcalc grad "norm(A, 'fro')" --wrt A
