# exit: 2
mcalc check --batch examples/classwork/answers.jsonl --format latex
