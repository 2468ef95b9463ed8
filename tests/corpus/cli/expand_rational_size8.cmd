# exit: 0
mcalc grad "1/sum(1 ./ (x.^2 + 1))" --wrt x --expand --let "x: vector(8)"
