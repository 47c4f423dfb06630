#!/usr/bin/env bash
# Regenerates docs/checks.md, docs/targets.md and docs/components.md from checks/ and targets/, and the sample runs
# shown in README.md and docs/ from the built binary (tests fail while
# they differ).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build --target immutalint >/dev/null
build/immutalint --list-checks --format markdown > docs/checks.md
build/immutalint --list-targets --format markdown > docs/targets.md
build/immutalint --list-components --format markdown > docs/components.md
# The sample runs in README.md and docs/*.md (```console blocks starting with `$ immutalint`):
# blocks without a "..." line are replaced by what the command prints now.
python3 - <<'PY'
import glob, re, subprocess

block = re.compile(r"```console\n\$ ((?:build/)?immutalint)( [^\n]*)?\n(.*?)```\n", re.S)

def rerun(match):
    program, args, shown = match.group(1), match.group(2) or "", match.group(3)
    if "\n...\n" in "\n" + shown:
        return match.group(0)  # an excerpt: kept as written, the test checks it
    out = subprocess.run(["build/immutalint", *args.split()], capture_output=True, text=True).stdout
    return f"```console\n$ {program}{args}\n{out}```\n"

for path in ["README.md", *sorted(glob.glob("docs/*.md"))]:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    new = block.sub(rerun, text)
    if new != text:
        with open(path, "w", encoding="utf-8") as f:
            f.write(new)
PY
