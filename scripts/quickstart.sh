#!/usr/bin/env bash
# Quick start, command 1: set everything up and run the main job, the lecture's
# neuron max(0, w'*x + b): parsed with its types, then its derivative w.r.t. w,
# checked against central finite differences at a random point.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
let_decls="x, w: vector(n); b: scalar"
echo "\$ build/mcalc parse \"max(0, w'*x + b)\" --let \"$let_decls\""
build/mcalc parse "max(0, w'*x + b)" --let "$let_decls"
echo
echo "\$ build/mcalc diff \"max(0, w'*x + b)\" --wrt w --let \"$let_decls\" --check"
build/mcalc diff "max(0, w'*x + b)" --wrt w --let "$let_decls" --check
