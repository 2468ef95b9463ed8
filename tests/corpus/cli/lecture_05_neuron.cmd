# exit: 0
mcalc run tests/corpus/lecture/05_neuron.mc --decimals 4 --at "x = [1; 2; 3]; w = [0.5; -0.2; 0.1]; b = 0.1; X = [1, 2, 3; -1, 0, 2; 0.5, 0.5, 0.5; 2, -1, 0]; y = [1; 0; 0.5; 2]"
