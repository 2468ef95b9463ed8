# exit: 2
mcalc eval "sum(exp(eye(3000)))" --max-memory 50
