#!/usr/bin/env bash
# The robustness job: builds everything with clang, AddressSanitizer,
# UndefinedBehaviorSanitizer and libFuzzer's coverage into build-san/, runs the
# whole test suite there, then a short smoke run of every fuzz harness from the
# seed corpus and the inputs of its past findings, fuzz/findings/HARNESS/
# (docs/robustness.md). Usage: scripts/sanitize.sh [SECONDS per harness, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
scripts/install-packages.sh clang libclang-rt-14-dev
jobs=$(nproc 2>/dev/null || echo 2)
# CLN's few bytes allocated once at start-up are not a leak of ours (tests/lsan.supp); the build runs the test
# binaries too (test discovery), so the suppressions hold from here on.
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
CC=clang CXX=clang++ cmake -S . -B build-san -DCMAKE_BUILD_TYPE=Debug -DMCALC_SANITIZE=ON -DMCALC_FUZZ=ON >/dev/null
cmake --build build-san -j"$jobs" 2>&1 | grep -v -E '^\[ *[0-9]+%\]' || true
test -x build-san/mcalc || { echo "sanitize: build failed" >&2; exit 1; }
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-san --output-on-failure -j"$jobs"
seeds=$(mktemp -d)
fuzz/seeds.sh "$seeds/seed" >/dev/null
for h in cli eval expand roundtrip check; do
  mkdir -p "$seeds/$h" "$seeds/artifacts-$h"
  set +e
  build-san/fuzz_$h -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=512 \
    -dict=fuzz/mcalc.dict -print_final_stats=1 -artifact_prefix="$seeds/artifacts-$h/" \
    "$seeds/$h" "$seeds/seed" $( [ -d "fuzz/findings/$h" ] && echo "fuzz/findings/$h" ) >"$seeds/$h.log" 2>&1
  rc=$?
  set -e
  echo "fuzz smoke: $h, ${seconds}s, $(grep -E '^stat::number_of_executed_units' "$seeds/$h.log" | awk '{print $2}') runs"
  if [ "$rc" -ne 0 ]; then
    tail -n 60 "$seeds/$h.log" >&2
    echo "sanitize: fuzz_$h found a failing input (exit $rc)" >&2
    exit 1
  fi
done
rm -rf "$seeds"
