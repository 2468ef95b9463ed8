# exit: 0
mcalc parse "sigmoid(W*x + b) ⊙ x" --format latex
