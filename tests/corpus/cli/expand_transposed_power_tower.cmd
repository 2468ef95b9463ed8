# exit: 2
mcalc hessian "1 + c^c^2'^2'^4'^2'^4'" --wrt c --let "c: scalar" --expand
