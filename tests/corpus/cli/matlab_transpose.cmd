# exit: 0
mcalc parse "x.'*A"
