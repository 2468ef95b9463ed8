# exit: 0
printf 'w, x: vector(n); b: scalar\nz = dot(w, x) + b\nderive(max(0, z), b)\n' | mcalc run - --format json
