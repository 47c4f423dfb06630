#!/usr/bin/env bash
# Builds the fuzz targets with clang's libFuzzer (address and undefined-behaviour sanitizers)
# and runs them for SECONDS in all (default 60), seeded with testdata/ and fuzz/regressions/,
# with the YAML dictionary. A crash leaves its input in build-fuzz/crashes/ and fails.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     targets: fuzz_pipeline fuzz_parse fuzz_split
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_parse fuzz_split fuzz_pipeline)

if ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz.sh: clang++ is not installed (Debian: clang, libclang-rt-14-dev)" >&2
  exit 2
fi

CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIMMUTALINT_FUZZ=ON \
  -DIMMUTALINT_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}"

per_target=$(( seconds / ${#targets[@]} ))
[ "$per_target" -gt 0 ] || per_target=1
mkdir -p build-fuzz/crashes
for target in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$target
  mkdir -p "$corpus"
  echo "== $target for ${per_target}s"
  # Small inputs keep the whole pipeline fast enough to explore; -timeout catches hangs.
  build-fuzz/fuzz/"$target" "$corpus" testdata fuzz/regressions \
    -dict=fuzz/yaml.dict -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -max_total_time="$per_target" -print_final_stats=1 -artifact_prefix=build-fuzz/crashes/ 2>&1 |
    grep -E "^(stat::|#[0-9]+ +DONE|==[0-9]+==|SUMMARY|Done)" || true
  if [ -n "$(ls -A build-fuzz/crashes 2>/dev/null)" ]; then
    echo "fuzz.sh: $target found a crash: build-fuzz/crashes/" >&2
    exit 1
  fi
done
