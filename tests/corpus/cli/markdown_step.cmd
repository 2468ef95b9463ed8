# exit: 0
mcalc step tests/corpus/train/network_named_z.mc --format markdown
