# exit: 0
mcalc check --batch examples/classwork/answers.jsonl --format markdown
