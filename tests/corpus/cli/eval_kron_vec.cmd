# exit: 0
mcalc eval "kron([1, 2], [1; 10])*[1, 2; 3, 4] + vec([1, 2; 3, 4])'*ones(4)"
