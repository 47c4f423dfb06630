#!/usr/bin/env bash
# Writes every report format for the real corpus and for every fixture into OUT_DIR, so that two
# builds can be compared byte for byte (`diff -r`) after a change that must not alter output.
#   scripts/snapshot-output.sh build/immutalint /tmp/before
set -euo pipefail
binary=$(realpath "$1")
out=$2
cd "$(dirname "$0")/.."
mkdir -p "$out"
corpus=${IMMUTALINT_SHARED_DIR:-../shared}/corpus/real
formats=(text json sarif github matrix matrix-markdown html)
for format in "${formats[@]}"; do
  if [ -d "$corpus" ]; then
    "$binary" --fail-on never --target all --format "$format" --sarif-root "$corpus" "$corpus" >"$out/corpus.$format" 2>&1 || true
    "$binary" --fail-on never --format "$format" --sarif-root "$corpus" "$corpus" >"$out/corpus-default.$format" 2>&1 || true
  fi
  # The fixtures one by one, from testdata/ as the golden tests run them.
  (cd testdata && find . -name '*.yaml' -o -name '*.json' -o -name '*.yml' | sort | while read -r fixture; do
    echo "== $fixture"
    "$binary" --fail-on never --target all --format "$format" "$fixture" 2>&1 || true
  done) >"$out/fixtures.$format"
done
for id in $("$binary" --list-checks --format json | python3 -c 'import json,sys; print("\n".join(c["id"] for c in json.load(sys.stdin)))'); do
  "$binary" --explain "$id"
done >"$out/explain.txt" 2>&1
"$binary" --list-checks >"$out/list-checks.txt" 2>&1
"$binary" --list-targets >"$out/list-targets.txt" 2>&1
echo "wrote $(ls "$out" | wc -l) files to $out"
