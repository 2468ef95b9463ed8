# exit: 0
mcalc diff "max(0, w'*x + b)" --wrt w --let "x, w: vector(n); b: scalar" --format json --at "x = [1; 2; 3]; w = [0.5; -0.2; 0.1]; b = 0.1"
