# exit: 2
mcalc grad "x'*x" --wrt x --emit torch --check
