# exit: 0
mcalc eval "derive(sin(a), a)" --at "a = 0"
