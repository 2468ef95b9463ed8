# exit: 2
mcalc parse "x" --format yaml
