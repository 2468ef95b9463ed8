# exit: 2
mcalc parse "$(printf '(%.0s' $(seq 300))x"
