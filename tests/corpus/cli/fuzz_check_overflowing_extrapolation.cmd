# exit: 0
mcalc diff "1e308.*aren_content*x" --wrt aren_content --check
