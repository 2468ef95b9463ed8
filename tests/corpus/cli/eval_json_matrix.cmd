# exit: 0
mcalc eval "A' + eye(2)" --at "A = [1, 2; 3, 4]" --format json
