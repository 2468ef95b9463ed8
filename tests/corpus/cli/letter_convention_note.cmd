# exit: 2
mcalc diff "x'*x/lambda" --wrt x
