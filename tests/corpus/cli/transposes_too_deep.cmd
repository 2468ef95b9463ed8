# exit: 2
mcalc parse "x$(yes "'" | head -n 30000 | tr -d '\n')"
