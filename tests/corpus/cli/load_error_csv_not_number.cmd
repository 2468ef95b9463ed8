# exit: 2
mcalc eval "x" --at 'x = load("tests/corpus/files/not_number.csv")'
