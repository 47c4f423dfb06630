#!/usr/bin/env bash
# Installs, from Debian 12's archive, whatever immutalint needs to build and test that is missing.
set -euo pipefail

packages=(
  g++ cmake make pkg-config git python3
  libyaml-dev libre2-dev libfmt-dev libcxxopts-dev nlohmann-json3-dev catch2
  libyaml-cpp-dev      # the baseline parser that bench/ measures against
  python3-jsonschema   # scripts/validate-sarif.py, ../shared/sarif/validate-sarif and tests/config_docs_test.py
  python3-yaml         # tests/config_docs_test.py reads the .immutalint.yaml examples in the docs
  lintian              # the package test lints the .deb that cpack builds
  pre-commit           # the hook test runs pre-commit try-repo
  clang-format         # the format test runs scripts/format.sh --check
  chromium             # the browser test opens the HTML report headless (tests/html_browser_test.py)
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
