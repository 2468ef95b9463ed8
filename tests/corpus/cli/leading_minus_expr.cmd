# exit: 0
mcalc diff "-log(x)" --wrt x --let "x: scalar"
