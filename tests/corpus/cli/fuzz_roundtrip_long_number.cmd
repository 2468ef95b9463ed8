# exit: 0
mcalc parse "x[2]*55555555552555555555"
