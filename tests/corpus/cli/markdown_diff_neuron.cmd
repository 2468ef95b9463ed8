# exit: 0
mcalc diff "max(0, w'*x + b)" --wrt w --let "x, w: vector(n); b: scalar" --format markdown
