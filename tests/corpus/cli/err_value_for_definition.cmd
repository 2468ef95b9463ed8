# exit: 2
printf 'x: vector(2) = [1; 2]\nz = sum(x)\nz\n' | mcalc run - --at "z = 1"
