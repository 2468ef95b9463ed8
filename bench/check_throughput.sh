#!/usr/bin/env bash
# Throughput of the answer checker: 1,000 typical answers (the classwork
# answers of examples/classwork, right and wrong, repeated) graded by
# `mcalc check --batch` with one child process per answer, on every core.
# Usage: bench/check_throughput.sh [COUNT] [MCALC]   (default 1000, build/mcalc)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000}
mcalc=${2:-build/mcalc}
[[ -x "$mcalc" ]] || { echo "build mcalc first (cmake --build build --target mcalc)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
src=examples/classwork/answers.jsonl
n=$(wc -l < "$src")
for ((k = 0; k < count; k += n)); do cat "$src"; done | head -n "$count" > "$work/answers.jsonl"
start=$(date +%s.%N)
"$mcalc" check --batch "$work/answers.jsonl" > "$work/out.jsonl"
end=$(date +%s.%N)
graded=$(($(wc -l < "$work/out.jsonl") - 1))
summary=$(tail -n 1 "$work/out.jsonl")
python3 - "$start" "$end" "$graded" "$(nproc)" "$summary" <<'PY'
import json, sys
start, end, graded, cores, summary = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
secs = end - start
print("graded %d answers in %.2f s on %s cores: %.0f answers/s, %.2f ms each"
      % (graded, secs, cores, graded / secs, 1000 * secs / graded))
print("verdicts:", json.loads(summary)["summary"]["verdicts"])
PY
