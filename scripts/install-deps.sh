#!/usr/bin/env bash
# Installs, from Debian 12's archive, whatever immutalint needs to build and test that is missing.
# With --fuzz, also what the libFuzzer runs of scripts/fuzz.sh need (clang).
# Quiet: apt's output goes to a log that is printed only when a step fails.
set -euo pipefail

packages=(
  g++ cmake make pkg-config git python3
  libyaml-dev libre2-dev libfmt-dev libcxxopts-dev nlohmann-json3-dev catch2
  libyaml-cpp-dev      # the baseline parser that bench/ measures against
  python3-jsonschema   # scripts/validate-sarif.py, ../shared/sarif/validate-sarif and tests/config_docs_test.py
  python3-yaml         # tests/config_docs_test.py reads the .immutalint.yaml examples in the docs
  libxml2-utils        # xmllint: tests/ci_formats_test.cpp checks the JUnit report against tests/schemas/junit-10.xsd
  lintian              # the package test lints the .deb that cpack builds
  pre-commit           # the hook test runs pre-commit try-repo
  clang-format         # the format test runs scripts/format.sh --check
  chromium             # the browser test opens the HTML report headless (tests/html_browser_test.py)
)
if [ "${1:-}" = --fuzz ]; then
  # scripts/fuzz.sh: clang, libFuzzer's runtime, which clang only recommends, and llvm-symbolizer,
  # which names the functions in a crash's stack.
  packages+=(clang libclang-rt-14-dev llvm-14)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
# sudo resets the environment: DEBIAN_FRONTEND goes through env, after sudo, so that no package
# asks a question.
as_root=(env DEBIAN_FRONTEND=noninteractive)
[ "$(id -u)" -eq 0 ] || as_root=(sudo "${as_root[@]}")
log=$(mktemp "${TMPDIR:-/tmp}/immutalint-install-deps.XXXXXX")
trap 'rm -f "$log"' EXIT
apt_quietly() {
  if ! "${as_root[@]}" apt-get -qq -o=Dpkg::Use-Pty=0 "$@" >>"$log" 2>&1; then
    echo "install-deps.sh: apt-get $1 failed:" >&2
    cat "$log" >&2
    exit 1
  fi
}
apt_quietly update
apt_quietly install -y --no-install-recommends "${missing[@]}"
