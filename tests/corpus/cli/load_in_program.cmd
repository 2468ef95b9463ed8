# exit: 0
mcalc run tests/corpus/files/least_squares.mc
