# exit: 1
mcalc check "w.*x" --wrt w --let "w, x: vector(n)" --answer "diag(0.^x)"
