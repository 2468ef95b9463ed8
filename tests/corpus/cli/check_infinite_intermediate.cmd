# exit: 0
mcalc diff "e*z2*aA^0^cm*xy'" --wrt aA --check
