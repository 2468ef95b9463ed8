# exit: 2
mcalc eval "x'*x" --at "[1; 2]"
