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
exit "$status"
