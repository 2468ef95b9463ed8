# exit: 1
mcalc run examples/classwork/quadratic_form.mc
