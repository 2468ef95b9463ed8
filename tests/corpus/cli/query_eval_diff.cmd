# exit: 0
mcalc eval "diff(sin(a), a)" --at "a = 0"
