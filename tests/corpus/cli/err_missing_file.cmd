# exit: 2
mcalc run no/such/file.mc
