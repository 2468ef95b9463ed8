# exit: 0
mcalc check "x'*A*x" --wrt x --answer "x'*A + x'*A'"
