# exit: 0
mcalc diff "1e-308 .* x" --wrt x --let "x: vector(3)" --check
