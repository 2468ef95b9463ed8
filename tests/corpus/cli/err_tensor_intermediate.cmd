# exit: 2
mcalc diff "(x*x')*y" --wrt x
