# exit: 2
mcalc diff "w .* x" --wrt w --expand
