#!/usr/bin/env bash
# Installs mcalc's build dependencies from Debian 12's packages (only those that
# are missing; quiet when all are present), then configures and builds into build/.
# Usage: scripts/setup.sh [extra cmake -D options...]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake make pkg-config libboost-dev libginac-dev catch2 libeigen3-dev libcli11-dev nlohmann-json3-dev zlib1g-dev
          libreadline-dev dpkg-dev file tmux python3-numpy python3-torch)
# dpkg-dev, file: cpack -G DEB (tests/package); tmux: the REPL test; python3-numpy,
# python3-torch: the tests run the code --emit generates (tests/emit)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build -j"$jobs" 2>&1 | grep -v -E '^\[ *[0-9]+%\]|^Consolidate compiler generated' || true
test -x build/mcalc || { echo "setup: build failed" >&2; exit 1; }
