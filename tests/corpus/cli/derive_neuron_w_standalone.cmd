# exit: 0
mcalc derive "max(0, sum(w .* x) + b)" --wrt w --let "x, w: vector(n); b: scalar" --hadamard otimes --format latex --standalone
