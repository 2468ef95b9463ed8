# exit: 2
mcalc eval "1 + derive(sin(a), a)" --at "a = 0"
