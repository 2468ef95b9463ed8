#!/usr/bin/env bash
# Writes the fuzzers' seed corpus into DIR (one file per expression): the
# expressions of tests/corpus/derivatives.txt and roundtrip.txt, and every line
# of grammar/examples/*.mc. Usage: fuzz/seeds.sh DIR
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: fuzz/seeds.sh DIR}
mkdir -p "$out"
k=0
emit() {
  [ -n "$1" ] || return 0
  k=$((k + 1))
  # The harnesses read a first byte of options (verb, layout, --check): vary it.
  printf '%b%s' "\\x$(printf '%02x' $((k % 256)))" "$1" > "$out/seed_$k"
}
while IFS='|' read -r _ expr _ _; do
  expr=$(echo "$expr" | sed 's/^ *//; s/ *$//')
  emit "$expr"
done < <(grep -v '^#' tests/corpus/derivatives.txt | grep '|')
while IFS= read -r line; do
  emit "${line%% => *}"
done < <(grep -v '^#' tests/corpus/roundtrip.txt | grep -v '^ *$')
for f in grammar/examples/*.mc; do
  while IFS= read -r line; do
    case "$line" in "#"*|"") continue ;; esac
    emit "${line#*= }"
  done < "$f"
done
echo "fuzz/seeds.sh: $k seeds in $out"
