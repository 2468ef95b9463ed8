# exit: 2
mcalc diff "-0^c^2" --wrt r --let "c: scalar; r: vector(2)" --expand
