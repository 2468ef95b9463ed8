# exit: 0
mcalc derive "max(0, w'*x + b)" --wrt w --let "x, w: vector(3); b: scalar" --at "x = [1; 2; 3]; w = [0.5; -0.2; 0.1]; b = 0.3" --decimals 4
