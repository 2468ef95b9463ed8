# exit: 2
mcalc step tests/corpus/train/errors/step_no_value.mc
