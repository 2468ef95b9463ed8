#!/usr/bin/env bash
# Quick start, command 1: set everything up and run the main job, the lecture's
# neuron max(0, w'*x + b): parsed with its types, then its derivative w.r.t. w.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
set -x
build/mcalc parse "max(0, w'*x + b)" --let "x, w: vector(n); b: scalar"
build/mcalc diff "max(0, w'*x + b)" --wrt w --let "x, w: vector(n); b: scalar"
