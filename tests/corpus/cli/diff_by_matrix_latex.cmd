# exit: 0
mcalc diff "W*x" --wrt W --format latex
