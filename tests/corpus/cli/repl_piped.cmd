# exit: 0
printf '%s\n' "x : vector(3) = [1; 2; 3]" "A : matrix(3, 3) = 2*eye(3)" "x'*A*x" "grad(x'*A*x, x)" "z = A*x + x" "x + [1; 2]" "z" ":types" ":layout denominator" "diff(z, x)" ":format json" "sum(z)" ":layout sideways" ":quit" "x" | mcalc repl
