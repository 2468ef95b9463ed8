# exit: 2
mcalc grad "x'*x" --wrt x --emit numpy --name 2fast
