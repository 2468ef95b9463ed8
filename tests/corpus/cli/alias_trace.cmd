# exit: 0
mcalc grad "trace(A'*A)" --wrt A
