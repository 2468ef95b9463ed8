# exit: 0
mcalc run tests/corpus/lecture/01_perceptron.mc --decimals 4 --at "w = [0.5; -0.2; 0.1]; x = [1; 2; 3]; b = 0.1; theta = 0"
