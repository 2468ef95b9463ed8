# exit: 2
mcalc parse "$(yes a | head -n 20000 | paste -sd+)"
