#!/usr/bin/env bash
# Benchmark: immutalint against a yaml-cpp-only parse of the same generated manifests.
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
echo "runs:       $runs per row, medians shown"
echo

python3 - "$results" "${names[0]}=$(stat -c %s "$work/stream.yaml")" \
  "${names[1]}=$(find "$work/split" -type f -printf '%s\n' | awk '{s += $1} END {print s}')" <<'EOF'
# Medians per (input, tool) and the speed ratio against yaml-cpp on the same input.
import statistics, sys
sizes = dict(arg.split("=") for arg in sys.argv[2:])
rows = {}
for line in open(sys.argv[1]):
    inp, tool, sec, kib = line.split()
    rows.setdefault((inp, tool), []).append((float(sec), int(kib)))
median = {k: (statistics.median(s for s, _ in v), statistics.median(m for _, m in v)) for k, v in rows.items()}
print(f"{'input':<11} {'tool':<14} {'wall s':>7} {'MB/s':>7} {'peak MiB':>9}  vs yaml-cpp")
for (inp, tool), (sec, kib) in median.items():
    base = median[(inp, "yaml-cpp")][0]
    ratio = base / sec if sec > 0 else float("inf")
    if tool == "yaml-cpp":
        vs = "baseline"
    elif ratio >= 1:
        vs = f"{ratio:.1f}x faster"
    else:
        vs = f"{1 / ratio:.1f}x slower"
    mbps = int(sizes[inp]) / 1e6 / sec if sec > 0 else float("inf")
    print(f"{inp:<11} {tool:<14} {sec:>7.2f} {mbps:>7.1f} {kib / 1024:>9.1f}  {vs}")
EOF
