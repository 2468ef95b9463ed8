# exit: 0
echo "sigmoid(0.3)" | mcalc eval - --precision 4
