# exit: 2
mcalc eval "1 + 2" --format npy
