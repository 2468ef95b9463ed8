#!/usr/bin/env bash
# The REPL as a person uses it: `mcalc` with no arguments in a terminal (tmux),
# keys sent with send-keys, the screen read with capture-pane. Each step waits
# (polling, up to 20 s) for the text it must produce. Checks: values and
# queries across lines, an error with its caret and the session going on,
# tab completion of functions and names, :types, :layout, :format, :load,
# :help, :quit, and the history file.
# Usage: tests/repl/repl_tmux.sh MCALC_BINARY   (from the source root)
set -euo pipefail
bin=$(realpath "$1")
src=$(pwd)
scratch=$(mktemp -d)
sock="mcalc-repl-$$"
t() { tmux -L "$sock" "$@"; }
cleanup() { t kill-server 2>/dev/null || true; rm -rf "$scratch"; }
trap cleanup EXIT

screen() { t capture-pane -p -J -t repl -S -1000; }
# wait_for TEXT [COUNT]: until TEXT appears at least COUNT times (default 1) on the screen.
wait_for() {
  local want=${2:-1}
  for _ in $(seq 1 400); do
    if [ "$(screen | grep -cF -- "$1")" -ge "$want" ]; then return 0; fi
    sleep 0.05
  done
  echo "FAILED: '$1' did not appear (x$want). The screen:" >&2
  screen >&2
  exit 1
}
type_line() { t send-keys -t repl -l -- "$1"; t send-keys -t repl Enter; }

cp "$src/tests/repl/session.mc" "$scratch/session.mc"
t -f /dev/null new-session -d -s repl -x 200 -y 50 \
  "cd '$scratch' && HOME='$scratch' TERM=xterm '$bin'; echo \"exited with \$?\"; sleep 60"

wait_for "mcalc> "
type_line "x : vector(3) = [1; 2; 3]"
type_line "A : matrix(3, 3) = 2*eye(3)"
type_line "grad(x'*A*x, x)"
wait_for "= [4; 8; 12]"

# An error: the caret under the typed line, and the session goes on.
type_line "x + [1; 2]"
wait_for "error: <input>:1:"
wait_for "1 | x + [1; 2]"
type_line "x'*x + 1000"
wait_for "x'*x + 1000 = 1014"

# Tab completes functions and the session's names.
type_line "long_name_z = A*x"
t send-keys -t repl -l "sigm"
t send-keys -t repl Tab
t send-keys -t repl -l "(sum(long_na"
t send-keys -t repl Tab
t send-keys -t repl -l ") - 12)"
t send-keys -t repl Enter
wait_for "sigmoid(sum(long_name_z) - 12) = 0.5"

type_line ":types"
wait_for "long_name_z : vector(3)"
type_line ":layout denominator"
wait_for "layout: denominator"
type_line "diff(A*x + x, x)"
wait_for "diff(A*x + x, x) = (A + eye(3))'"
type_line ":format latex"
wait_for "format: latex"
type_line "grad(x'*x, x)"
wait_for "\\nabla_{\\mathbf{x}}\\left(\\mathbf{x}^\\top \\mathbf{x}\\right) = 2 \\mathbf{x}"
type_line ":format text"
type_line ":load session.mc"
wait_for "w'*x = 5"
type_line "w'*w"
wait_for "w'*w = 2.5"
type_line ":help"
wait_for ":load FILE.mc"
type_line ":quit"
wait_for "exited with 0"

# History kept in ~/.mcalc_history.
grep -qxF "grad(x'*A*x, x)" "$scratch/.mcalc_history"
grep -qxF ":load session.mc" "$scratch/.mcalc_history"
echo "REPL session passed"
