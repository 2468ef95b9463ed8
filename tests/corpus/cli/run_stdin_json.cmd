# exit: 0
printf 'x : vector(3) = [1; 2; 3]\nsum(x .^ 2)\ngrad(sum(x .^ 2), x)\n' | mcalc run - --format json
