#!/usr/bin/env bash
# Formats the C++ sources with the repository's .clang-format (clang-format 14, Debian 12's).
#   scripts/format.sh           rewrites the files in place
#   scripts/format.sh --check   changes nothing; lists the files that differ and fails if any do
# Exit code 77 means clang-format is not installed (the test that runs --check is then skipped,
# except under CI=true, where it fails).
set -euo pipefail
cd "$(dirname "$0")/.."

formatter=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$formatter" ]; then
  echo "format.sh: clang-format is not installed (Debian: clang-format)" >&2
  [ "${CI:-}" = true ] && exit 1
  exit 77
fi

# The tracked sources when this is a git checkout, otherwise every source under the project's folders.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files -- '*.cpp' '*.hpp' '*.h')
else
  mapfile -t files < <(find src include tests fuzz bench -name '*.cpp' -o -name '*.hpp' -o -name '*.h' | sort)
fi

if [ "${1:-}" = --check ]; then
  differ=()
  for file in "${files[@]}"; do
    [ -f "$file" ] || continue
    "$formatter" --dry-run --Werror "$file" >/dev/null 2>&1 || differ+=("$file")
  done
  if [ ${#differ[@]} -gt 0 ]; then
    echo "format.sh: ${#differ[@]} files differ from .clang-format (run scripts/format.sh):" >&2
    printf '  %s\n' "${differ[@]}" >&2
    exit 1
  fi
  echo "format.sh: ${#files[@]} files match .clang-format"
else
  "$formatter" -i "${files[@]}"
fi
