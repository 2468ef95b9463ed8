#!/usr/bin/env bash
# `cpack -G DEB` of the built tree, the package installed with dpkg into a scratch
# root (its own database), and the installed `mcalc --version` run from there.
# Usage: tests/package/deb.sh BUILD_DIR   (from the source root)
set -euo pipefail
build=$(cd "$1" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/pkg" >/dev/null
deb=$(ls "$scratch"/pkg/mcalc_"$MCALC_VERSION"_*.deb)
dpkg-deb --field "$deb" Package Version | tee "$scratch/fields"
grep -qx "Version: $MCALC_VERSION" "$scratch/fields"

root=$scratch/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/log"
touch "$root/var/lib/dpkg/status"
# The scratch database knows none of the run-time dependencies (they are on this system).
dpkg --root="$root" --force-not-root --force-depends --force-script-chrootless -i "$deb" >/dev/null
dpkg --root="$root" -s mcalc | grep -qx "Status: install ok installed"
for f in usr/bin/mcalc usr/include/mcalc/mcalc.hpp usr/lib/cmake/mcalc/mcalcConfig.cmake usr/lib/pkgconfig/mcalc.pc; do
  dpkg --root="$root" -L mcalc | grep -qx "/$f" || { echo "package lacks /$f" >&2; exit 1; }
done
"$root/usr/bin/mcalc" --version | tee "$scratch/version"
grep -qx "mcalc $MCALC_VERSION" "$scratch/version"
