#!/usr/bin/env bash
# Regenerates docs/checks.md and docs/targets.md from checks/ and targets/ (tests fail while
# they differ).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build --target immutalint >/dev/null
build/immutalint --list-checks --format markdown > docs/checks.md
build/immutalint --list-targets --format markdown > docs/targets.md
