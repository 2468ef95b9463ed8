#!/usr/bin/env bash
# `cmake --install` of the built tree into a scratch prefix, then examples/cpp built
# against it twice: through find_package(mcalc) (target mcalc::mcalc) and through
# pkg-config (mcalc.pc). Both programs must print examples/cpp/neuron.out exactly.
# Usage: tests/package/install_example.sh BUILD_DIR   (from the source root)
set -euo pipefail
build=$(cd "$1" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
prefix=$scratch/prefix

cmake --install "$build" --prefix "$prefix" >/dev/null
test -f "$prefix/include/mcalc/mcalc.hpp"
test -f "$prefix/include/mcalc/version.hpp"
grep -q "MCALC_VERSION \"$MCALC_VERSION\"" "$prefix/include/mcalc/version.hpp"
"$prefix/bin/mcalc" --version | grep -qx "mcalc $MCALC_VERSION"

# CMake package
cmake -S examples/cpp -B "$scratch/cmake-build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$scratch/cmake-build" >/dev/null
"$scratch/cmake-build/neuron" > "$scratch/cmake.out"
diff -u examples/cpp/neuron.out "$scratch/cmake.out"

# pkg-config (the .pc file locates the prefix relative to itself)
export PKG_CONFIG_PATH=$(dirname "$(find "$prefix" -name mcalc.pc)")
test "$(pkg-config --modversion mcalc)" = "$MCALC_VERSION"
# shellcheck disable=SC2046
g++ -O1 examples/cpp/neuron.cpp $(pkg-config --cflags --libs mcalc) -o "$scratch/neuron-pc"
"$scratch/neuron-pc" > "$scratch/pc.out"
diff -u examples/cpp/neuron.out "$scratch/pc.out"
echo "installed package: CMake and pkg-config builds of examples/cpp agree with neuron.out"
