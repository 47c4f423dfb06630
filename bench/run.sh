#!/usr/bin/env bash
# Benchmark: immutalint against two baselines on the same generated manifests, in one run:
# libyaml's events pulled and dropped (the floor: immutalint parses with libyaml) and a yaml-cpp
# parse into node trees. immutalint runs with --jobs 1, --jobs 2 and its default thread count.
#   BENCH_MB (100), BENCH_RUNS (5), BENCH_DIR: the corpus size, runs per row, the work folder.
#   BENCH_PREVIOUS=/path/to/immutalint: an earlier binary measured beside this one.
#   BENCH_INSTRUCTIONS=1: also instructions counted by valgrind (callgrind) on a 5 MB stream at
#   --jobs 1, a figure that machine load does not move.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${SHARED:-$root/../shared}
generator=$shared/bench/make-corpus.py
mb=${BENCH_MB:-100}
runs=${BENCH_RUNS:-5}
work=${BENCH_DIR:-${TMPDIR:-/tmp}/immutalint-bench}
build=$root/build-bench

[[ -f $generator ]] || { echo "run.sh: $generator not found (set SHARED)" >&2; exit 2; }

# A build of its own, so the developer's build directory and its build type are left alone.
# Its output goes to a log, shown only when the build fails, so the table stays readable.
mkdir -p "$build"
log=$build/bench-build.log
if ! { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
         -DIMMUTALINT_BUILD_BENCH=ON -DIMMUTALINT_BUILD_TESTS=OFF &&
       cmake --build "$build" -j"$(nproc)"; } >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
immutalint=$build/immutalint
baseline=$build/bench/yaml_cpp_parse
floor=$build/bench/libyaml_events
previous=${BENCH_PREVIOUS:-}

# Generating 100 MB takes a while: reuse the corpus when its parameters and generator match.
mkdir -p "$work"
stamp="mb=$mb seed=1 files=2000 generator=$(sha256sum "$generator" | cut -c1-16)"
if [[ $(cat "$work/stamp" 2>/dev/null) != "$stamp" ]]; then
  echo "generating ${mb} MB corpus in $work ..." >&2
  rm -f "$work/stamp" "$work/stream.yaml"
  rm -rf "$work/split"
  python3 "$generator" --mb "$mb" --seed 1 -o "$work/stream.yaml"
  python3 "$generator" --mb "$mb" --seed 1 --files 2000 -o "$work/split/"
  echo "$stamp" >"$work/stamp"
fi

# Runs one command under /usr/bin/time; appends "input tool seconds KiB" to the results.
results=$work/results.tsv
: >"$results"
measure() {
  local input=$1 tool=$2
  shift 2
  if ! /usr/bin/time -o "$work/time.txt" -f '%e %M' "$@" >"$work/stdout.txt" 2>"$work/stderr.txt"; then
    echo "run.sh: failed: $*" >&2
    tail -n 20 "$work/stderr.txt" "$work/time.txt" >&2
    exit 1
  fi
  echo "$input $tool $(tail -n 1 "$work/time.txt")" >>"$results"
}

inputs=("$work/stream.yaml" "$work/split")
names=("1-file" "2000-files")
for i in "${!inputs[@]}"; do
  echo "measuring ${names[i]} ($runs runs) ..." >&2
  # Interleaved, so drift in machine load hits every tool alike.
  for ((r = 0; r < runs; r++)); do
    measure "${names[i]}" "immutalint-j1" "$immutalint" --fail-on never --jobs 1 "${inputs[i]}"
    measure "${names[i]}" "immutalint-j2" "$immutalint" --fail-on never --jobs 2 "${inputs[i]}"
    measure "${names[i]}" "immutalint" "$immutalint" --fail-on never "${inputs[i]}"
    if [[ -n $previous ]]; then
      measure "${names[i]}" "previous" "$previous" --fail-on never "${inputs[i]}"
    fi
    measure "${names[i]}" "libyaml-events" "$floor" "${inputs[i]}"
    measure "${names[i]}" "yaml-cpp" "$baseline" "${inputs[i]}"
  done
  echo "  yaml-cpp: $(cat "$work/stdout.txt")" >&2
done

commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ $commit != unknown && -n $(git -C "$root" status --porcelain 2>/dev/null) ]]; then
  commit="$commit (with uncommitted changes)"
fi
echo "machine:    $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "immutalint: $("$immutalint" --version | awk '{print $NF}'), commit $commit"
echo "runs:       $runs per row, medians shown; immutalint without --jobs uses $(nproc) threads here"
[[ -n $previous ]] && echo "previous:   $previous ($("$previous" --version | awk '{print $NF}'))"
echo

python3 - "$results" "${names[0]}=$(stat -c %s "$work/stream.yaml")" \
  "${names[1]}=$(find "$work/split" -type f -printf '%s\n' | awk '{s += $1} END {print s}')" <<'EOF'
# Medians per (input, tool), and the time against libyaml's events and yaml-cpp on the same input.
import statistics, sys
sizes = dict(arg.split("=") for arg in sys.argv[2:])
rows = {}
for line in open(sys.argv[1]):
    inp, tool, sec, kib = line.split()
    rows.setdefault((inp, tool), []).append((float(sec), int(kib)))
median = {k: (statistics.median(s for s, _ in v), statistics.median(m for _, m in v)) for k, v in rows.items()}
print(f"{'input':<11} {'tool':<15} {'wall s':>7} {'MB/s':>7} {'peak MiB':>9} {'x libyaml':>10}  vs yaml-cpp")
for (inp, tool), (sec, kib) in median.items():
    base = median[(inp, "yaml-cpp")][0]
    floor = median[(inp, "libyaml-events")][0]
    ratio = base / sec if sec > 0 else float("inf")
    if tool == "yaml-cpp":
        vs = "baseline"
    elif ratio >= 1:
        vs = f"{ratio:.1f}x faster"
    else:
        vs = f"{1 / ratio:.1f}x slower"
    mbps = int(sizes[inp]) / 1e6 / sec if sec > 0 else float("inf")
    times_floor = sec / floor if floor > 0 else float("inf")
    print(f"{inp:<11} {tool:<15} {sec:>7.2f} {mbps:>7.1f} {kib / 1024:>9.1f} {times_floor:>9.2f}x  {vs}")
EOF

# Instructions do not depend on machine load: the same comparison, counted by callgrind on the
# first 5 MB of the stream (callgrind runs some fifty times slower than the program).
if [[ ${BENCH_INSTRUCTIONS:-0} == 1 ]]; then
  command -v valgrind >/dev/null || { echo "run.sh: BENCH_INSTRUCTIONS=1 needs valgrind" >&2; exit 2; }
  head -c $((5 << 20)) "$work/stream.yaml" >"$work/stream-5mb.yaml"
  # Cut at the last document separator, so that no document is truncated.
  last=$(grep -n '^---' "$work/stream-5mb.yaml" | tail -n 1 | cut -d: -f1)
  head -n $((last - 1)) "$work/stream-5mb.yaml" >"$work/stream-5mb.cut.yaml"
  count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
      awk '/Collected/ {print $NF}'
  }
  echo
  echo "instructions on $(stat -c %s "$work/stream-5mb.cut.yaml") bytes (callgrind):"
  lint=$(count "$immutalint" --fail-on never --jobs 1 --format json "$work/stream-5mb.cut.yaml")
  events=$(count "$floor" "$work/stream-5mb.cut.yaml")
  echo "  immutalint --jobs 1: $lint"
  echo "  libyaml events:      $events"
  python3 -c "import sys; print(f'  ratio:               {int(sys.argv[1]) / int(sys.argv[2]):.2f}x')" "$lint" "$events"
fi
