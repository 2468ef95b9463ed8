# exit: 0
printf 'w: vector(2) = [0.5; -1]\nx: vector(2) = [2; 1]\nb: scalar = 0.25\nz = dot(w, x) + b\nactivation = max(0, z)\nactivation\nderive(activation, w)\n' | mcalc run -
