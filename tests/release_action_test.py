#!/usr/bin/python3
"""action.yml, the composite GitHub Action: its metadata keeps the rules GitHub applies to an
action's metadata file, and its run steps, run as the runner runs them (bash --noprofile --norc -eo
pipefail, with the GITHUB_* files and a fake runner environment), lint examples/ with the immutalint
on PATH or with one downloaded from the action's repository's releases.

Usage: release_action_test.py IMMUTALINT-BINARY

The download goes to a fake curl that serves a tarball made here from IMMUTALINT-BINARY and records
the addresses it was asked for: no network is used. Prints each failure; exit status 1 when there
is one, 0 otherwise.
"""

import hashlib
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FAILURES = []

# docs.github.com, "Metadata syntax for GitHub Actions".
TOP_LEVEL_KEYS = {"name", "author", "description", "inputs", "outputs", "runs", "branding"}
INPUT_KEYS = {"description", "required", "default", "deprecationMessage"}
COMPOSITE_STEP_KEYS = {"name", "id", "if", "run", "shell", "uses", "with", "env", "working-directory",
                       "continue-on-error"}
SHELLS = {"bash", "sh", "pwsh", "python", "powershell", "cmd"}
BRANDING_COLORS = {"white", "black", "yellow", "blue", "green", "orange", "red", "purple", "gray-dark"}
ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
# The github context values the action may read, as the fake runner fills them.
GITHUB_CONTEXT = {"server_url", "repository", "workspace", "action_repository", "action_ref", "action_path"}


def check(condition, message):
    if not condition:
        FAILURES.append(message)
    return condition


def check_metadata(action):
    """The rules GitHub applies to action.yml, for a composite action."""
    check(isinstance(action, dict), "action.yml is not a mapping")
    unknown = set(action) - TOP_LEVEL_KEYS
    check(not unknown, f"unknown top-level keys: {sorted(unknown)}")
    for key in ("name", "description"):
        check(isinstance(action.get(key), str) and action[key].strip(), f"'{key}' is missing or empty")
    branding = action.get("branding", {})
    check(set(branding) <= {"icon", "color"}, f"unknown branding keys: {sorted(set(branding))}")
    if "color" in branding:
        check(branding["color"] in BRANDING_COLORS, f"branding color {branding['color']!r} is not one GitHub knows")

    inputs = action.get("inputs", {})
    for name, spec in inputs.items():
        check(ID.match(name), f"input id {name!r} is not a valid id")
        check(isinstance(spec, dict) and set(spec) <= INPUT_KEYS, f"input {name}: unknown keys")
        check(isinstance(spec.get("description"), str) and spec["description"].strip(),
              f"input {name} has no description")
        check(isinstance(spec.get("default", ""), str), f"input {name}: the default must be a string")
    for name, spec in action.get("outputs", {}).items():
        check(ID.match(name), f"output id {name!r} is not a valid id")
        check(isinstance(spec, dict) and set(spec) == {"description", "value"},
              f"output {name}: a composite action's output has a description and a value")

    runs = action.get("runs", {})
    check(runs.get("using") == "composite", "runs.using must be composite")
    check(set(runs) == {"using", "steps"}, f"runs: unknown keys {sorted(set(runs) - {'using', 'steps'})}")
    steps = runs.get("steps", [])
    check(isinstance(steps, list) and steps, "runs.steps is empty")
    seen_ids = set()
    for index, step in enumerate(steps):
        where = f"step {index + 1} ({step.get('name', 'unnamed')})"
        check(set(step) <= COMPOSITE_STEP_KEYS, f"{where}: unknown keys {sorted(set(step) - COMPOSITE_STEP_KEYS)}")
        check(("run" in step) != ("uses" in step), f"{where}: a step has either run or uses")
        if "run" in step:
            check(step.get("shell") in SHELLS or "{0}" in str(step.get("shell", "")),
                  f"{where}: a run step needs shell")
            # An input spliced into a script is a script injection; inputs go through env.
            check("${{" not in step["run"], f"{where}: the script holds an expression; pass it through env")
        if "id" in step:
            check(ID.match(step["id"]) and step["id"] not in seen_ids, f"{where}: id {step['id']!r} is invalid or repeated")
            seen_ids.add(step["id"])
        for name, value in step.get("env", {}).items():
            for expression in EXPRESSION.findall(str(value)):
                parts = expression.split(".")
                if parts[0] == "inputs":
                    check(len(parts) == 2 and parts[1] in inputs, f"{where}: env {name} reads unknown {expression}")
                elif parts[0] == "steps":
                    check(len(parts) == 4 and parts[1] in seen_ids - {step.get("id")} and parts[2] == "outputs",
                          f"{where}: env {name} reads {expression}, not an output of an earlier step")
                else:
                    check(parts[0] == "github" and len(parts) == 2 and parts[1] in GITHUB_CONTEXT,
                          f"{where}: env {name} reads {expression}, which the action has no use for")


def evaluate(text, context):
    """Replaces each ${{ a.b.c }} with its value in `context`; only plain references are used."""
    def value(match):
        node = context
        for part in match.group(1).split("."):
            node = node[part]
        return node
    return EXPRESSION.sub(value, str(text))


def read_outputs(path):
    """A GITHUB_OUTPUT file: name=value lines and name<<DELIMITER blocks."""
    outputs = {}
    with open(path, encoding="utf-8") as file:
        lines = file.read().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            outputs[name] = "\n".join(lines[i + 1:end])
            i = end + 1
            continue
        if "=" in line:
            name, text = line.split("=", 1)
            outputs[name] = text
        i += 1
    return outputs


def run_action(action, scratch, inputs, path, github, runner_os="Linux", runner_arch="X64"):
    """Runs the action's steps as the runner does; returns (exit status, log, outputs, summary)."""
    context = {
        "inputs": {name: spec.get("default", "") for name, spec in action.get("inputs", {}).items()},
        "github": dict(github),
        "steps": {},
    }
    context["inputs"].update(inputs)
    runner_temp = tempfile.mkdtemp(dir=scratch, prefix="runner-temp-")
    summary = os.path.join(scratch, "step-summary.md")
    open(summary, "w").close()
    added_path = []
    log = []
    status = 0
    for index, step in enumerate(action["runs"]["steps"]):
        files = {name: os.path.join(runner_temp, f"{name}-{index}") for name in ("output", "path", "env")}
        for file in files.values():
            open(file, "w").close()
        env = {
            "PATH": os.pathsep.join(added_path + [path]),
            "HOME": scratch,
            "LANG": "C.UTF-8",
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": ROOT,
            "GITHUB_REPOSITORY": github["repository"],
            "GITHUB_ACTION_PATH": github["action_path"],
            "GITHUB_OUTPUT": files["output"],
            "GITHUB_PATH": files["path"],
            "GITHUB_ENV": files["env"],
            "GITHUB_STEP_SUMMARY": summary,
            "RUNNER_OS": runner_os,
            "RUNNER_ARCH": runner_arch,
            "RUNNER_TEMP": runner_temp,
        }
        if "FAKE_RELEASES" in os.environ:
            env["FAKE_RELEASES"] = os.environ["FAKE_RELEASES"]
        env.update({name: evaluate(value, context) for name, value in step.get("env", {}).items()})
        script = os.path.join(runner_temp, f"step-{index}.sh")
        with open(script, "w", encoding="utf-8") as file:
            file.write(step["run"])
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=60, check=False)
        log.append(result.stdout + result.stderr)
        context["steps"][step.get("id", f"step{index}")] = {"outputs": read_outputs(files["output"])}
        with open(files["path"], encoding="utf-8") as file:
            added_path = [line for line in file.read().splitlines() if line] + added_path
        if result.returncode != 0:
            status = result.returncode
            break
    outputs = {name: evaluate(spec["value"], context) if status == 0 or "lint" in context["steps"] else ""
               for name, spec in action.get("outputs", {}).items()}
    with open(summary, encoding="utf-8") as file:
        return status, "".join(log), outputs, file.read(), added_path


def tool_dir(scratch, extra):
    """A PATH folder holding the programs the steps use, and no immutalint."""
    tools = os.path.join(scratch, "tools-" + str(len(os.listdir(scratch))))
    os.makedirs(tools)
    for program in ("bash", "awk", "cut", "tar", "gzip", "sha256sum", "mktemp", "cat", "rm", "mkdir", "cp", "git"):
        found = shutil.which(program, path="/usr/bin:/bin")
        if found:
            os.symlink(found, os.path.join(tools, program))
    for name, target in extra.items():
        os.symlink(target, os.path.join(tools, name))
    return tools


FAKE_CURL = r"""#!/bin/bash
# curl for the test: serves files from the folder $FAKE_RELEASES for their release addresses and
# logs every address it is asked for.
set -eu
out= url= write=
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out=$2; shift 2 ;;
    -w) write=$2; shift 2 ;;
    --retry) shift 2 ;;
    -*) shift ;;
    *) url=$1; shift ;;
  esac
done
echo "$url" >> "$FAKE_RELEASES/requests.log"
if [ -n "$write" ]; then
  # /releases/latest redirects to the tag of the latest release.
  case "$url" in
    */releases/latest) echo "${url%/latest}/tag/v$(cat "$FAKE_RELEASES/latest")"; exit 0 ;;
  esac
  exit 22
fi
file=$FAKE_RELEASES/$(printf '%s' "$url" | sed 's|^https://|| ; s|/|_|g')
[ -f "$file" ] || { echo "curl: (22) The requested URL returned error: 404" >&2; exit 22; }
cp "$file" "$out"
"""


def make_release(scratch, binary, version, repository, corrupt=False):
    """A release as the release workflow publishes it, in the fake curl's folder."""
    releases = tempfile.mkdtemp(dir=scratch, prefix="releases-")
    name = f"immutalint-{version}-linux-x86_64"
    tarball = os.path.join(scratch, name + ".tar.gz")
    if not os.path.exists(tarball):
        # The release layout, with a bin/immutalint that runs the tree's binary: the tarball stays
        # small whatever the build (a sanitized binary is hundreds of MB).
        stage = os.path.join(scratch, "stage", name)
        os.makedirs(os.path.join(stage, "bin"))
        launcher = os.path.join(stage, "bin", "immutalint")
        with open(launcher, "w", encoding="utf-8") as file:
            file.write(f"#!/bin/sh\nexec {shlex.quote(binary)} \"$@\"\n")
        os.chmod(launcher, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
        with tarfile.open(tarball, "w:gz") as archive:
            archive.add(stage, arcname=name)
    with open(tarball, "rb") as file:
        digest = hashlib.sha256(file.read()).hexdigest()
    if corrupt:
        digest = "0" * 64
    base = f"github.com_{repository.replace('/', '_')}_releases_download_v{version}_{name}.tar.gz"
    os.link(tarball, os.path.join(releases, base))
    with open(os.path.join(releases, base + ".sha256"), "w", encoding="utf-8") as file:
        file.write(f"{digest}  {name}.tar.gz\n")
    with open(os.path.join(releases, "latest"), "w", encoding="utf-8") as file:
        file.write(version)
    open(os.path.join(releases, "requests.log"), "w").close()
    return releases


def requests(releases):
    with open(os.path.join(releases, "requests.log"), encoding="utf-8") as file:
        return file.read().splitlines()


def check_lint_results(log, summary, sarif_path, targets):
    """examples/ linted: annotations in the log, the SARIF file, the matrix in the summary."""
    check("::error file=examples/gpu-driver-installer.yaml" in log or
          "::warning file=examples/gpu-driver-installer.yaml" in log, f"no annotation in the log:\n{log}")
    if check(os.path.isfile(sarif_path), f"the SARIF report {sarif_path} was not written"):
        with open(sarif_path, encoding="utf-8") as file:
            sarif = json.load(file)
        check(sarif.get("version") == "2.1.0", "the SARIF report is not SARIF 2.1.0")
        rules = {result.get("ruleId") for run in sarif.get("runs", []) for result in run.get("results", [])}
        check("host-binary-install" in rules, f"the SARIF report lacks host-binary-install: {sorted(rules)}")
    check("## Node OS readiness" in summary, f"the job summary has no readiness matrix:\n{summary}")
    header = next((line for line in summary.splitlines() if line.startswith("| workload |")), "")
    for target in targets:
        check(f"| {target} |" in header or f" {target} |" in header, f"the matrix has no column {target}: {header}")
    check("gpu-system/gpu-driver-installer" in summary, f"the matrix has no row for the driver installer:\n{summary}")


def main():
    binary = os.path.abspath(sys.argv[1])
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout.split()[1]
    with open(os.path.join(ROOT, "action.yml"), encoding="utf-8") as file:
        action = yaml.safe_load(file)
    check_metadata(action)
    if FAILURES:
        return

    scratch = tempfile.mkdtemp(prefix="immutalint-action-")
    try:
        github = {"server_url": "https://github.com", "repository": "someone/app", "workspace": ROOT,
                  "action_repository": "acme/immutalint", "action_ref": f"v{version}",
                  "action_path": "/home/runner/work/_actions/acme/immutalint/v" + version}
        fake_curl = os.path.join(scratch, "curl")
        with open(fake_curl, "w", encoding="utf-8") as file:
            file.write(FAKE_CURL)
        os.chmod(fake_curl, stat.S_IRWXU)

        # The immutalint on PATH, all targets: findings fail the step, the reports are written.
        sarif = os.path.join(scratch, "on-path.sarif")
        path = tool_dir(scratch, {"immutalint": binary, "sed": shutil.which("sed")})
        status, log, outputs, summary, _ = run_action(
            action, scratch, {"paths": "examples", "targets": "all", "sarif": sarif}, path, github)
        check(status == 1, f"findings at the default fail-on should fail the step, not exit {status}:\n{log}")
        check(outputs.get("exit-code") == "1", f"output exit-code is {outputs.get('exit-code')!r}, not 1")
        check(f"Using {os.path.join(path, 'immutalint')} (immutalint {version})" in log,
              f"the immutalint on PATH was not used:\n{log}")
        check_lint_results(log, summary, sarif, ["generic", "talos", "flatcar"])

        # fail-on never and no summary: the step passes and writes nothing to the summary.
        status, log, outputs, summary, _ = run_action(
            action, scratch, {"paths": "examples\nexamples/web-app.json", "fail-on": "never", "job-summary": "false"},
            path, github)
        check(status == 0 and outputs.get("exit-code") == "0", f"--fail-on never should pass, exit {status}:\n{log}")
        check(summary == "", f"job-summary false still wrote the summary:\n{summary}")

        # No immutalint on PATH, the action used at the release tag: the tarball of that release is
        # downloaded from the action's repository, checked against its .sha256, and put on PATH.
        releases = make_release(scratch, binary, version, "acme/immutalint")
        path = tool_dir(scratch, {"curl": fake_curl, "sed": shutil.which("sed")})
        os.environ["FAKE_RELEASES"] = releases
        sarif = os.path.join(scratch, "downloaded.sarif")
        status, log, outputs, summary, added_path = run_action(
            action, scratch, {"paths": "examples", "sarif": sarif, "fail-on": "error"}, path + ":" + releases, github)
        expected = (f"https://github.com/acme/immutalint/releases/download/v{version}/"
                    f"immutalint-{version}-linux-x86_64.tar.gz")
        check(requests(releases) == [expected, expected + ".sha256"],
              f"the download asked for {requests(releases)}, not {expected} and its .sha256")
        check(status == 0, f"the downloaded immutalint did not lint examples/ (exit {status}):\n{log}")
        check(len(added_path) == 1 and os.path.isfile(os.path.join(added_path[0], "immutalint")),
              f"the downloaded immutalint was not added to GITHUB_PATH: {added_path}")
        check_lint_results(log, summary, sarif, ["generic"])

        # github.action_repository and action_ref empty (as the runner leaves them in some composite
        # runs), the action used at a branch: the repository comes from the action's folder and the
        # version from the latest release.
        releases = make_release(scratch, binary, version, "acme/immutalint")
        os.environ["FAKE_RELEASES"] = releases
        branch = dict(github, action_repository="", action_ref="",
                      action_path="/home/runner/work/_actions/acme/immutalint/main")
        status, log, outputs, summary, _ = run_action(action, scratch, {"paths": "examples", "fail-on": "never"},
                                                      path + ":" + releases, branch)
        check(status == 0, f"the latest release was not installed (exit {status}):\n{log}")
        check(requests(releases)[:2] == ["https://github.com/acme/immutalint/releases/latest", expected],
              f"the latest release was looked up as {requests(releases)}")

        # The action checked out at a tag into a folder of the workspace (uses: ./path): the
        # repository comes from the checkout's origin, the version from its tag.
        checkout = os.path.join(scratch, "immutalint-checkout")
        os.makedirs(checkout)
        git = ["git", "-C", checkout, "-c", "user.name=test", "-c", "user.email=test@localhost"]
        for command in (["init", "-q"], ["commit", "-q", "--allow-empty", "-m", "release"], ["tag", f"v{version}"],
                        ["remote", "add", "origin", "https://github.com/acme/immutalint.git"]):
            subprocess.run(git + command, check=True, capture_output=True)
        releases = make_release(scratch, binary, version, "acme/immutalint")
        os.environ["FAKE_RELEASES"] = releases
        checked_out = dict(github, action_repository="", action_ref="", action_path=checkout)
        status, log, outputs, summary, _ = run_action(action, scratch, {"paths": "examples", "fail-on": "never"},
                                                      path + ":" + releases, checked_out)
        check(status == 0 and requests(releases) == [expected, expected + ".sha256"],
              f"the checkout's origin and tag did not name the release: {requests(releases)} (exit {status}):\n{log}")

        # A tarball that does not match its checksum is not run.
        releases = make_release(scratch, binary, version, "acme/immutalint", corrupt=True)
        os.environ["FAKE_RELEASES"] = releases
        status, log, outputs, summary, _ = run_action(action, scratch, {"paths": "examples"}, path + ":" + releases,
                                                      github)
        check(status != 0 and "FAILED" in log and "::" not in log.split("FAILED", 1)[1],
              f"a tarball with a wrong checksum was used (exit {status}):\n{log}")

        # A runner the release has no binary for: a clear error, nothing downloaded.
        releases = make_release(scratch, binary, version, "acme/immutalint")
        os.environ["FAKE_RELEASES"] = releases
        status, log, outputs, summary, _ = run_action(action, scratch, {"paths": "examples"}, path + ":" + releases,
                                                      github, runner_os="macOS", runner_arch="ARM64")
        check(status == 2 and "Linux x86_64" in log and requests(releases) == [],
              f"a macOS runner should be refused before any download (exit {status}):\n{log}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main()
    for failure in FAILURES:
        print("FAIL:", failure)
    print(f"action.yml: {len(FAILURES)} failures")
    sys.exit(1 if FAILURES else 0)
