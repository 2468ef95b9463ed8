# exit: 0
mcalc run tests/corpus/files/least_squares.mc --at "y = [0; 0; 0]"
