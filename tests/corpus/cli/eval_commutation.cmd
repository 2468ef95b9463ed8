# exit: 0
mcalc eval "commutation(m, n)*vec(A) - vec(A')" --let "A: matrix(m, n)" --at "A = [1, 2, 3; 4, 5, 6]"
