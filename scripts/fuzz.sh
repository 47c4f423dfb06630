#!/usr/bin/env bash
# Builds the fuzz targets with clang's libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer
# (both stop at the first error), and runs them one after the other for SECONDS in all (default
# 60): each gets an equal share of what is left when it starts, replaying its seeds included, but
# never less than half its share of the whole, so that a slow replay does not starve the last.
# Each is seeded with fuzz/seeds/TARGET/, fuzz/regressions/ and, where the input is a manifest,
# the manifests of testdata/; it keeps what it finds in build-fuzz/corpus/TARGET/.
# A crash, a hang (an input slower than 5 s) or an input that needs more than 2 GiB leaves the
# input in build-fuzz/crashes/, its log in build-fuzz/logs/, and fails.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#   targets: fuzz_parse fuzz_split fuzz_glob fuzz_baseline fuzz_config fuzz_pipeline fuzz_pools
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(fuzz_parse fuzz_split fuzz_glob fuzz_baseline fuzz_config fuzz_pipeline fuzz_pools)
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

# Per target: the longest input, whether testdata/'s manifests seed it, and the dictionaries
# (fuzz/*.dict) it is given. Inputs that go through the whole pipeline may be 64 KiB, long enough
# for a quadratic path to pass -timeout.
limits_of() {
  case $1 in
    fuzz_parse) echo "65536 manifests yaml" ;;  # the shell reader's quadratic paths need long scripts
    fuzz_split) echo "16384 manifests yaml" ;;  # documents are cut at most 2 KiB long, read in blocks of at most 256 bytes
    fuzz_glob) echo "65536 own glob" ;;         # long enough for a pattern or a name to exhaust the stack
    fuzz_baseline) echo "16384 own json" ;;     # the baseline's JSON; the manifest is fixed
    fuzz_config) echo "32768 manifests yaml config" ;;
    fuzz_pipeline) echo "65536 manifests yaml" ;;
    fuzz_pools) echo "65536 manifests yaml pools" ;;
    *) return 1 ;;
  esac
}
for target in "${targets[@]}"; do
  limits_of "$target" >/dev/null || { echo "fuzz.sh: unknown target $target (targets: ${all_targets[*]})" >&2; exit 2; }
done

if ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz.sh: clang++ is not installed (Debian: clang, libclang-rt-14-dev; scripts/install-deps.sh --fuzz)" >&2
  exit 2
fi

CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIMMUTALINT_FUZZ=ON \
  -DIMMUTALINT_BUILD_TESTS=OFF >/dev/null
mkdir -p build-fuzz/crashes build-fuzz/logs build-fuzz/dict
if ! cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}" >build-fuzz/logs/build.log 2>&1; then
  cat build-fuzz/logs/build.log >&2
  exit 2
fi

# The build already stops at undefined behaviour (-fno-sanitize-recover=all); the options say so
# too, ask for the stack, and keep any the caller sets (later options win).
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:report_error_type=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export ASAN_OPTIONS="detect_leaks=1:check_initialization_order=1:strict_init_order=1:handle_abort=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"

deadline=$(($(date +%s) + seconds))
left=${#targets[@]}
failed=()
for target in "${targets[@]}"; do
  read -r max_len seeded_by dicts <<<"$(limits_of "$target")"
  dict=build-fuzz/dict/$target.dict
  for name in $dicts; do cat "fuzz/$name.dict"; done >"$dict"
  corpus=build-fuzz/corpus/$target
  mkdir -p "$corpus"
  # libFuzzer reads seeds from folders: link them into one, without testdata/'s expected reports
  # and notes, which are not manifests and would only make the replay at start longer.
  seeds=build-fuzz/seeds/$target
  rm -rf "$seeds"
  mkdir -p "$seeds"
  sources=(fuzz/regressions)
  [ -d "fuzz/seeds/$target" ] && sources+=("fuzz/seeds/$target")
  [ "$seeded_by" = manifests ] && sources+=(testdata)
  find "${sources[@]}" -type f ! -name '*.expected' ! -name '*.md' ! -name '*.tsv' -print0 |
    while IFS= read -r -d '' file; do ln -s "$PWD/$file" "$seeds/${file//\//_}"; done
  started=$(date +%s)
  share=$(((deadline - started) / left))
  floor=$((seconds / ${#targets[@]} / 2))
  [ "$share" -ge "$floor" ] || share=$floor
  [ "$share" -gt 0 ] || share=1
  left=$((left - 1))
  log=build-fuzz/logs/$target.log
  status=0
  # CPU seconds as well as wall time: on a shared machine, executions per CPU second are what a
  # long campaign on a machine of its own will see.
  TIMEFORMAT='%U %S'
  { time build-fuzz/fuzz/"$target" "$corpus" "$seeds" -dict="$dict" -max_len="$max_len" -timeout=5 \
    -rss_limit_mb=2048 -max_total_time="$share" -print_final_stats=1 -artifact_prefix="build-fuzz/crashes/$target-" \
    >"$log" 2>&1 || status=$?; } 2>"$log.cpu"
  # One line per target: executions, speed, coverage (edges and features) and corpus.
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cpu_speed=$(awk -v runs="${runs:-0}" '{ cpu = $1 + $2; print (cpu > 0 ? int(runs / cpu) : "?") }' "$log.cpu")
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
  progress=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' || true)
  if [ "$status" -eq 0 ]; then
    verdict="no crash"
  else
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    verdict="CRASH (exit $status): ${artifact:-see $log}"
    failed+=("$target")
  fi
  printf '%-14s %3ss: %s runs, %s/s (%s per CPU second), %s, peak %s MB, %s\n' "$target" \
    "$(($(date +%s) - started))" "${runs:-?}" "${speed:-?}" "${cpu_speed:-?}" "${progress:-no coverage line}" \
    "${rss:-?}" "$verdict"
  if [ "$status" -ne 0 ]; then
    # The sanitizer's or libFuzzer's report, without the fuzzing progress lines.
    grep -vE '^(#[0-9]+|INFO:|MERGE|stat::)' "$log" | head -n 40 | sed 's/^/    /' >&2
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: ${failed[*]} crashed; inputs in build-fuzz/crashes/, logs in build-fuzz/logs/" >&2
  exit 1
fi
