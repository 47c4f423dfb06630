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
echo "scripts/test.sh: installs what is missing, builds build-test/ with -Werror and sanitizers, then runs"
echo "the tests, fuzzing smoke included (each fuzz target replays its seeds, then mutations of them)."
echo "On 2 cores the first build takes about eight minutes; later runs rebuild only what changed."
echo "IMMUTALINT_FUZZ_SECONDS=N adds a libFuzzer run of N seconds (scripts/fuzz.sh, a clang build)."
stage "1/3 installing the build and test tools that are missing (scripts/install-deps.sh)"
scripts/install-deps.sh
stage "2/3 building build-test/ ($(nproc) jobs)"
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIMMUTALINT_WERROR=ON -DIMMUTALINT_SANITIZE=ON >/dev/null
cmake --build build-test -j"$(nproc)"
cd build-test

stage "3/3 running the tests (ctest${*:+ $*})"
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
# The suite's fuzzing smoke is ctest's (fuzz/CMakeLists.txt): every target replays its seeds and
# the reproducers of past crashes, then runs mutations of them, under the sanitizers. A coverage-
# guided libFuzzer run needs a second build with clang, so it runs only when asked for
# (IMMUTALINT_FUZZ_SECONDS, or .ci/fuzz for a scheduled job).
libfuzzer_missing() {
  if ! command -v clang++ >/dev/null 2>&1; then
    echo "clang++ is not installed"
  elif ! printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' |
    clang++ -fsanitize=fuzzer -x c++ - -o /dev/null >/dev/null 2>&1; then
    echo "clang++ cannot link with -fsanitize=fuzzer (libFuzzer's runtime, libclang-rt-14-dev, is missing)"
  fi
}
if [ -n "${IMMUTALINT_FUZZ_SECONDS:-}" ]; then
  if [ "$status" -ne 0 ]; then
    echo "libFuzzer run skipped: the tests failed" >&2
  elif ! (cd .. && scripts/install-deps.sh --fuzz) || { missing=$(libfuzzer_missing) && [ -n "$missing" ]; }; then
    echo "libFuzzer run failed: ${missing:-scripts/install-deps.sh --fuzz failed}" >&2
    status=1
  else
    stage "libFuzzer run (scripts/fuzz.sh $IMMUTALINT_FUZZ_SECONDS: builds build-fuzz/ with clang)"
    (cd .. && scripts/fuzz.sh "$IMMUTALINT_FUZZ_SECONDS") || status=$?
  fi
fi
stage "done: exit status $status"
exit "$status"
