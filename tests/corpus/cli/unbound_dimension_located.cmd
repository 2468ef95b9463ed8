# exit: 2
mcalc diff "sum(ones(m)*b)" --wrt b --let "p: vector(m); b: scalar" --at "b = 0.4"
