# exit: 0
mcalc diff "t-an·asin(b)" --wrt b --check
