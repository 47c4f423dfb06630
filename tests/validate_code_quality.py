#!/usr/bin/python3
"""Checks GitLab Code Quality reports: each issue against GitLab's own JSON schema
(tests/schemas/gitlab-codeclimate.json), and what GitLab documents for the format beyond it.

Usage: validate_code_quality.py FILE.json...

Prints one line per problem, "FILE: [INDEX] message"; exit status 0 when every file is valid,
1 when one is not, 2 without Debian's python3-jsonschema.
"""

import json
import os
import sys

try:
    import jsonschema
    import jsonschema.validators
except ImportError:
    sys.stderr.write("validate_code_quality.py: the Python module jsonschema is missing "
                     "(Debian: apt-get install python3-jsonschema)\n")
    sys.exit(2)

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas", "gitlab-codeclimate.json")
# docs.gitlab.com, "Code Quality", "Code Quality report format".
SEVERITIES = ("info", "minor", "major", "critical", "blocker")


def problems(validator, path):
    try:
        with open(path, encoding="utf-8") as report_file:
            report = json.load(report_file)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return [f"{path}: not a readable JSON file: {error}"]
    if not isinstance(report, list):
        return [f"{path}: the report must be a JSON array of issues"]
    found = []
    fingerprints = set()
    for index, issue in enumerate(report):
        for error in validator.iter_errors(issue):
            found.append(f"{path}: [{index}] {error.message}")
        if not isinstance(issue, dict):
            continue
        if not isinstance(issue.get("check_name"), str) or not issue["check_name"]:
            found.append(f"{path}: [{index}] check_name is missing")
        if issue.get("severity") not in SEVERITIES:
            found.append(f"{path}: [{index}] severity {issue.get('severity')!r} is not one of {', '.join(SEVERITIES)}")
        location = issue.get("location", {})
        path_value = location.get("path") if isinstance(location, dict) else None
        if not isinstance(path_value, str) or not path_value or path_value.startswith("/"):
            found.append(f"{path}: [{index}] location.path must be a path relative to the repository")
        begin = location.get("lines", {}).get("begin") if isinstance(location, dict) else None
        if not isinstance(begin, int) or begin < 1:
            found.append(f"{path}: [{index}] location.lines.begin must be a line number")
        if issue.get("fingerprint") in fingerprints:
            found.append(f"{path}: [{index}] fingerprint {issue['fingerprint']} is not unique")
        fingerprints.add(issue.get("fingerprint"))
    return found


def main():
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    with open(SCHEMA, encoding="utf-8") as schema_file:
        schema = json.load(schema_file)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    found = []
    for path in sys.argv[1:]:
        found += problems(validator, path)
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
