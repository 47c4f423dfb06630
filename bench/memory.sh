#!/usr/bin/env bash
# Peak memory against input size: a small and a 1 GiB generated stream, a 200,000-item List (as
# `kubectl get pods -A -o yaml` prints it) and 100,000 small files, each linted in text, json and
# sarif with --jobs 2. Memory must not grow with the input: every row should stay near the small
# stream's and under 64 MiB.
#   bash bench/memory.sh            (BENCH_DIR, SHARED as in bench/run.sh; BENCH_LARGE_MB=1024)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${SHARED:-$root/../shared}
generator=$shared/bench/make-corpus.py
large_mb=${BENCH_LARGE_MB:-1024}
work=${BENCH_DIR:-${TMPDIR:-/tmp}/immutalint-bench}/memory
build=$root/build-bench

[[ -f $generator ]] || { echo "memory.sh: $generator not found (set SHARED)" >&2; exit 2; }
mkdir -p "$build" "$work"
log=$build/bench-build.log
if ! { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DIMMUTALINT_BUILD_TESTS=OFF &&
       cmake --build "$build" -j"$(nproc)" --target immutalint; } >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
immutalint=$build/immutalint

# Inputs are kept and reused while the generators and sizes stay the same.
stamp="large=$large_mb generator=$(cat "$generator" "$root/bench/make-list.py" | sha256sum | cut -c1-16)"
if [[ $(cat "$work/stamp" 2>/dev/null) != "$stamp" ]]; then
  echo "generating inputs in $work (a few minutes) ..." >&2
  rm -rf "$work"/*
  python3 "$generator" --mb 10 --seed 1 -o "$work/small.yaml"
  python3 "$generator" --mb "$large_mb" --seed 1 -o "$work/large.yaml"
  python3 "$root/bench/make-list.py" --items 200000 -o "$work/list.yaml"
  python3 "$generator" --mb 200 --seed 2 --files 100000 -o "$work/files/"
  echo "$stamp" >"$work/stamp"
fi

printf '%-26s %-6s %8s %10s\n' input format "wall s" "peak MiB"
for input in small.yaml large.yaml list.yaml files; do
  for format in text json sarif; do
    /usr/bin/time -o "$work/time.txt" -f '%e %M' "$immutalint" --jobs 2 --fail-on never --format "$format" \
      --sarif-root "$work" -o /dev/null "$work/$input" 2>"$work/stderr.txt" || {
      echo "memory.sh: immutalint failed on $input ($format)" >&2
      tail -n 20 "$work/stderr.txt" >&2
      exit 1
    }
    read -r seconds kib <"$work/time.txt"
    size=$(du -sb "$work/$input" | cut -f1)
    printf '%-26s %-6s %8s %10.1f\n' "$input ($((size / 1000000)) MB)" "$format" "$seconds" "$(awk "BEGIN {print $kib / 1024}")"
  done
done
