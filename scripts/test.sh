#!/usr/bin/env bash
# Builds immutalint with warnings as errors and sanitizers, then runs the whole test suite.
# Arguments go to ctest, e.g. `scripts/test.sh -L fast` for the quick unit tests only.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIMMUTALINT_WERROR=ON -DIMMUTALINT_SANITIZE=ON >/dev/null
cmake --build build-test -j"$(nproc)"
cd build-test

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
# A short fuzzing smoke when clang (with libFuzzer) is installed; without it, ctest has already
# replayed the fuzz seeds and regression inputs through the same targets.
has_libfuzzer() {
  command -v clang++ >/dev/null 2>&1 &&
    printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' |
      clang++ -fsanitize=fuzzer -x c++ - -o /dev/null >/dev/null 2>&1
}
if [ "$status" -eq 0 ] && [ -z "${IMMUTALINT_SKIP_FUZZ:-}" ] && has_libfuzzer; then
  (cd .. && scripts/fuzz.sh 60) || status=$?
fi
exit "$status"
