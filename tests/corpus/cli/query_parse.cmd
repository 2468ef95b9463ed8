# exit: 0
mcalc parse "diff(x'*x, x)"
