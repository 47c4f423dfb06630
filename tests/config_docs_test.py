#!/usr/bin/env python3
"""The examples of .immutalint.yaml in the documentation match docs/immutalint-config.schema.json.

Usage: config_docs_test.py [IMMUTALINT]   (run from the repository root)

Every fenced ```yaml block in README.md and docs/*.md whose first line is `# .immutalint.yaml`
is an example of the configuration file. Each must validate against the schema; with IMMUTALINT,
`IMMUTALINT --config FILE --print-config` must also accept it (exit status 0). A few invalid
configurations must be rejected by the schema, so that it is not too permissive.

Needs python3-yaml and python3-jsonschema (Debian 12: jsonschema 4.10, draft-07).
"""

import copy
import datetime
import json
import pathlib
import re
import subprocess
import sys
import tempfile

import jsonschema
import yaml

MARKER = "# .immutalint.yaml"
MIN_EXAMPLES = 3
ROOT = pathlib.Path.cwd()
SCHEMA_PATH = ROOT / "docs" / "immutalint-config.schema.json"


class ConfigLoader(yaml.SafeLoader):
    """Reads YAML as a YAML 1.2 reader does (and as editors with yaml-language-server do):
    dates stay strings, and only true/false are booleans, so `until: 2027-03-31` is the string
    the schema describes and `daemonset: off` is the string "off", not false."""


ConfigLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
ConfigLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                   list("tTfF"))


def load(text):
    return yaml.load(text, Loader=ConfigLoader)


def examples():
    """(file, line of the block's first line, text) for each example of the configuration file."""
    found = []
    files = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))
    fence = re.compile(r"^(\s*)(`{3,}|~{3,})\s*(\S*)")
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        index = 0
        while index < len(lines):
            opening = fence.match(lines[index])
            if not opening:
                index += 1
                continue
            indent, marks, info = opening.groups()
            body = []
            index += 1
            while index < len(lines) and not lines[index].strip().startswith(marks):
                body.append(lines[index][len(indent):] if lines[index].startswith(indent) else lines[index])
                index += 1
            start = index - len(body) + 1  # 1-based line of the block's first line
            index += 1
            if info.lower() in ("yaml", "yml") and body and body[0].strip() == MARKER:
                found.append((path.relative_to(ROOT), start, "\n".join(body) + "\n"))
    return found


def errors(validator, instance):
    return sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))


def describe(error):
    where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
    return f"at {where}: {error.message}"


# Invalid configurations: (what is wrong, a valid base changed by the function).
VALID = {
    "fail-on": "warning",
    "checks": {"daemonset": "off"},
    "ignores": [{"check": "host-network", "reason": "reviewed", "until": "2027-03-31"}],
    "workload-kinds": [{"apiVersion": "example.com/v1", "kind": "Widget", "pod-templates": ["spec.template"]}],
}


def negative_cases():
    def change(function):
        config = copy.deepcopy(VALID)
        function(config)
        return config

    return [
        ("an unknown top-level key", change(lambda c: c.update({"fail_on": "error"}))),
        ("an ignore without reason", change(lambda c: c["ignores"][0].pop("reason"))),
        ("an ignore with an empty reason", change(lambda c: c["ignores"][0].update({"reason": ""}))),
        ("an ignore without check", change(lambda c: c["ignores"][0].pop("check"))),
        ("an ignore with an empty list of checks", change(lambda c: c["ignores"][0].update({"check": []}))),
        ("an unknown key in an ignore", change(lambda c: c["ignores"][0].update({"expires": "2027-03-31"}))),
        ("a bad until (day.month.year)", change(lambda c: c["ignores"][0].update({"until": "31.03.2027"}))),
        ("a bad until (month 13)", change(lambda c: c["ignores"][0].update({"until": "2027-13-01"}))),
        ("an until read as a date, not a string", change(lambda c: c["ignores"][0].update(
            {"until": datetime.date(2027, 3, 31)}))),
        ("a bad check setting", change(lambda c: c["checks"].update({"daemonset": "disabled"}))),
        ("a boolean check setting", change(lambda c: c["checks"].update({"daemonset": False}))),
        ("a check id that is not kebab-case", change(lambda c: c["checks"].update({"Host_Network": "off"}))),
        ("a bad fail-on", change(lambda c: c.update({"fail-on": "warn"}))),
        ("a bad format", change(lambda c: c.update({"format": "yaml"}))),
        ("a workload kind without pod-templates", change(lambda c: c["workload-kinds"][0].pop("pod-templates"))),
        ("a workload kind with no pod templates", change(lambda c: c["workload-kinds"][0].update({"pod-templates": []}))),
        ("a workload kind with an apiVersion without group", change(lambda c: c["workload-kinds"][0].update({"apiVersion": "v1"}))),
        ("an unknown key in a workload kind", change(lambda c: c["workload-kinds"][0].update({"podTemplates": []}))),
        ("inline-ignores as a string", change(lambda c: c.update({"inline-ignores": "false"}))),
        ("allow-empty as a string", change(lambda c: c.update({"allow-empty": "yes"}))),
        ("show-notes as a string", change(lambda c: c.update({"show-notes": "true"}))),
        ("a target list with an empty name", change(lambda c: c.update({"targets": "talos,,flatcar"}))),
    ]


def main(argv):
    binary = str(pathlib.Path(argv[1]).resolve()) if len(argv) > 1 else None
    failures = []
    if binary and not pathlib.Path(binary).is_file():
        print(f"FAIL: no immutalint binary at {argv[1]}", file=sys.stderr)
        return 1

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)

    blocks = examples()
    print(f"{len(blocks)} examples of {MARKER} in the documentation")
    if len(blocks) < MIN_EXAMPLES:
        failures.append(f"found {len(blocks)} examples whose first line is `{MARKER}`, expected at least "
                        f"{MIN_EXAMPLES}: the documentation or the way this test finds them has changed")

    for path, line, text in blocks:
        name = f"{path}:{line}"
        try:
            config = load(text)
        except yaml.YAMLError as error:
            failures.append(f"{name}: the example is not valid YAML: {error}")
            continue
        if config is None:
            config = {}
        problems = errors(validator, config)
        for error in problems:
            failures.append(f"{name}: the example does not match the schema {describe(error)}")
        if not problems:
            print(f"ok: {name} matches the schema")

        if binary:
            with tempfile.TemporaryDirectory() as folder:
                file = pathlib.Path(folder) / ".immutalint.yaml"
                file.write_text(text, encoding="utf-8")
                run = subprocess.run([binary, "--config", str(file), "--print-config"], cwd=folder,
                                     capture_output=True, text=True)
                if run.returncode != 0:
                    failures.append(
                        f"{name}: `immutalint --config FILE --print-config` rejected the example (exit status "
                        f"{run.returncode}); either immutalint does not read .immutalint.yaml as "
                        f"docs/immutalint-config.schema.json describes it (or does not know --config and "
                        f"--print-config yet), or the example is wrong:\n"
                        + "\n".join("    " + l for l in (run.stderr or run.stdout).strip().splitlines()[:10]))
                else:
                    print(f"ok: {name} accepted by {binary} --print-config")

    for what, config in negative_cases():
        if validator.is_valid(config):
            failures.append(f"the schema accepts {what}: {json.dumps(config)}")
        else:
            print(f"ok: the schema rejects {what}")

    if not binary:
        print("(no immutalint binary given: the examples were not run through --print-config)")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
