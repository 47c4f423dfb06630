#!/usr/bin/env bash
# Regenerates docs/checks.md from the catalogue in checks/ (a test fails while they differ).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build --target immutalint >/dev/null
build/immutalint --list-checks --format markdown > docs/checks.md
