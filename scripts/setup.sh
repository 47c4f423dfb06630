#!/usr/bin/env bash
# Quick start: installs what building immutalint needs and is missing (Debian 12 packages), builds
# build/immutalint, and lints the bundled examples. The test suite's tools (Catch2, lintian,
# Chromium, clang, ...) are not installed here: scripts/test.sh installs them.
#
# Usage: scripts/setup.sh [--deps-only]   (--deps-only: install the packages, build nothing)
set -euo pipefail
cd "$(dirname "$0")/.."

deps_only=false
case "${1:-}" in
  "") ;;
  --deps-only) deps_only=true ;;
  *) echo "Usage: scripts/setup.sh [--deps-only]" >&2; exit 2 ;;
esac

# What the build needs: the build part of scripts/install-deps.sh's list.
packages=(
  g++ cmake make pkg-config python3 gzip
  libyaml-dev libre2-dev libfmt-dev libcxxopts-dev nlohmann-json3-dev
)

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup.sh: no dpkg and apt-get here; install what these Debian 12 packages hold with your" \
    "package manager, then run this again: ${packages[*]}" >&2
  command -v cmake >/dev/null 2>&1 || exit 1
else
  missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing ${missing[*]}"
    # sudo resets the environment: DEBIAN_FRONTEND goes through env, after sudo, so that no
    # package asks a question.
    as_root=(env DEBIAN_FRONTEND=noninteractive)
    if [ "$(id -u)" -ne 0 ]; then
      if ! command -v sudo >/dev/null 2>&1; then
        echo "setup.sh: installing packages needs root, and sudo is not installed; as root, run:" >&2
        echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
      fi
      as_root=(sudo "${as_root[@]}")
    fi
    log=$(mktemp "${TMPDIR:-/tmp}/immutalint-setup.XXXXXX")
    trap 'rm -f "$log"' EXIT
    apt_quietly() {
      if ! "${as_root[@]}" apt-get -qq -o=Dpkg::Use-Pty=0 "$@" >>"$log" 2>&1; then
        echo "setup.sh: apt-get $1 failed:" >&2
        cat "$log" >&2
        exit 1
      fi
    }
    apt_quietly update
    apt_quietly install -y --no-install-recommends "${missing[@]}"
  fi
fi
[ "$deps_only" = false ] || exit 0

echo "== building build/immutalint (a few minutes on 2 cores the first time)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIMMUTALINT_BUILD_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)"
echo
echo "== build/immutalint examples/"
# The examples are meant to be reported: show the findings without failing the setup.
build/immutalint --fail-on never examples/
echo
echo "== build/immutalint is ready. To install it (README, \"From source\"):"
echo "   (cd build && cpack -G DEB) && sudo apt-get install ./build/immutalint_*_amd64.deb"
echo "   or, without root: cmake --install build --strip --prefix ~/.local"
