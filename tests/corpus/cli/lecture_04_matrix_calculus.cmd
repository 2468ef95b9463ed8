# exit: 0
mcalc run tests/corpus/lecture/04_matrix_calculus.mc --decimals 4 --at "x = [1; 2; 3]; w = [4; 5; 6]; z = 0.5; t = 2"
