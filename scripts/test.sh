#!/usr/bin/env bash
# Builds immutalint with warnings as errors and sanitizers, then runs the whole test suite.
# Arguments go to ctest, e.g. `scripts/test.sh -L fast` for the quick unit tests only.
set -euo pipefail
cd "$(dirname "$0")/.."

# Progress: each stage says what it does and how long it took.
stage_start=
stage() {
  [ -z "$stage_start" ] || echo "   (took $(( (SECONDS - stage_start) / 60 ))m$(( (SECONDS - stage_start) % 60 ))s)"
  stage_start=$SECONDS
  echo "== $*"
}
echo "scripts/test.sh: installs what is missing, builds build-test/ with -Werror and sanitizers, runs the"
echo "tests, then fuzzes for a minute. On 2 cores the first build takes up to half an hour, and the"
echo "fuzzing build with clang (build-fuzz/) some more; later runs rebuild only what changed. The tests"
echo "themselves take about a minute."
stage "1/4 installing the build and test tools that are missing (scripts/install-deps.sh)"
scripts/install-deps.sh
stage "2/4 building build-test/ ($(nproc) jobs)"
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIMMUTALINT_WERROR=ON -DIMMUTALINT_SANITIZE=ON >/dev/null
cmake --build build-test -j"$(nproc)"
cd build-test

stage "3/4 running the tests (ctest${*:+ $*})"
status=0
ctest --output-on-failure -j"$(nproc)" "$@" || status=$?

# Tests labelled `shared` read the third-party corpus and SARIF validator in ../shared (the CMake
# setting IMMUTALINT_SHARED_DIR). Without it ctest skips them (they fail under CI=true); say why.
if [ -f Testing/Temporary/LastTest.log ]; then
  skipped=$(grep -c '^IMMUTALINT-TEST-SKIPPED:' Testing/Temporary/LastTest.log || true)
  if [ "$skipped" -gt 0 ]; then
    echo "Skipped $skipped tests:"
    grep '^IMMUTALINT-TEST-SKIPPED:' Testing/Temporary/LastTest.log | sed 's/^IMMUTALINT-TEST-SKIPPED: */  /' | sort -u
  fi
fi
# A short fuzzing smoke (scripts/fuzz.sh) after a passing suite. Without clang and libFuzzer
# (scripts/install-deps.sh installs them) ctest has still replayed the seeds and regression inputs
# through the same targets; the skip is said, and under CI=true it is a failure.
libfuzzer_missing() {
  if ! command -v clang++ >/dev/null 2>&1; then
    echo "clang++ is not installed"
  elif ! printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' |
    clang++ -fsanitize=fuzzer -x c++ - -o /dev/null >/dev/null 2>&1; then
    echo "clang++ cannot link with -fsanitize=fuzzer (libFuzzer's runtime, libclang-rt-14-dev, is missing)"
  fi
}
if [ "$status" -ne 0 ]; then
  echo "fuzzing smoke skipped: the tests failed" >&2
elif [ -n "${IMMUTALINT_SKIP_FUZZ:-}" ]; then
  echo "fuzzing smoke skipped: IMMUTALINT_SKIP_FUZZ is set" >&2
elif missing=$(libfuzzer_missing) && [ -n "$missing" ]; then
  if [ "${CI:-}" = true ]; then
    echo "fuzzing smoke failed: $missing; scripts/install-deps.sh installs clang and libclang-rt-14-dev" >&2
    status=1
  else
    echo "fuzzing smoke skipped: $missing; scripts/install-deps.sh installs clang and libclang-rt-14-dev" >&2
  fi
else
  stage "4/4 fuzzing smoke (scripts/fuzz.sh 60: builds build-fuzz/ with clang, then fuzzes for a minute in all)"
  (cd .. && scripts/fuzz.sh 60) || status=$?
fi
stage "done: exit status $status"
exit "$status"
