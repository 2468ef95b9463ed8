#!/usr/bin/env bash
# Installs mcalc's build dependencies from Debian 12's packages (only those that
# are missing; quiet when all are present), then configures and builds into build/.
# Usage: scripts/setup.sh [extra cmake -D options...]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-packages.sh g++ cmake make pkg-config libboost-dev libginac-dev catch2 libeigen3-dev libcli11-dev \
  nlohmann-json3-dev libopenblas-dev zlib1g-dev libreadline-dev \
  texlive-latex-base texlive-latex-recommended dpkg-dev file tmux python3-numpy python3-torch
# TeX Live: the tests compile derive --standalone; dpkg-dev, file: cpack -G DEB (tests/package);
# tmux: the REPL test; python3-numpy, python3-torch: the tests run the code --emit generates (tests/emit)

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build -j"$jobs" 2>&1 | grep -v -E '^\[ *[0-9]+%\]|^Consolidate compiler generated' || true
test -x build/mcalc || { echo "setup: build failed" >&2; exit 1; }
