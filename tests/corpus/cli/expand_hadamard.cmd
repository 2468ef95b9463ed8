# exit: 0
mcalc diff "w .* x" --wrt w --let "w, x: vector(3)" --expand
