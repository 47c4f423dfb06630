#!/usr/bin/python3
"""Validates SARIF files against the OASIS SARIF 2.1.0 JSON schema vendored in tests/schemas/.

Usage: validate-sarif.py [--schema FILE] [--quiet] FILE.sarif...

Each file must be JSON and valid against the schema (draft-04; formats are checked where
jsonschema can check them). Errors are printed as "FILE: /json/pointer: message", at most
--max-errors per file. GitHub code scanning's further rules on upload are not checked here:
../shared/sarif/validate-sarif does that when ../shared is there.

Exit status: 0 every file is valid, 1 a file is invalid or unreadable, 2 usage error or no
jsonschema module. Runs with Debian's /usr/bin/python3 and python3-jsonschema, which
scripts/install-deps.sh installs; only the standard library besides.
"""

import argparse
import json
import os
import sys

try:
    import jsonschema
    import jsonschema.validators
except ImportError:
    sys.stderr.write("validate-sarif.py: the Python module jsonschema is missing "
                     "(Debian: apt-get install python3-jsonschema)\n")
    sys.exit(2)

DEFAULT_SCHEMA = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                                               "tests", "schemas", "sarif-schema-2.1.0.json"))


def pointer(path):
    """A JSON Pointer (RFC 6901) for a jsonschema error path."""
    return "/" + "/".join(str(part).replace("~", "~0").replace("/", "~1") for part in path)


def shorten(text, limit=240):
    return text if len(text) <= limit else text[:limit - 3] + "..."


def make_validator(schema_path):
    with open(schema_path, encoding="utf-8") as schema_file:
        schema = json.load(schema_file)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    format_checker = getattr(validator_class, "FORMAT_CHECKER", None) or jsonschema.FormatChecker()
    return validator_class(schema, format_checker=format_checker)


def problems(validator, path, max_errors):
    """The problems of one file, as printable lines; empty when it is valid."""
    try:
        with open(path, encoding="utf-8") as sarif_file:
            document = json.load(sarif_file)
    except OSError as error:
        return [f"{path}: cannot read: {error.strerror}"]
    except (UnicodeDecodeError, ValueError) as error:
        return [f"{path}: not JSON: {error}"]
    errors = sorted(validator.iter_errors(document), key=lambda error: [str(p) for p in error.absolute_path])
    lines = [f"{path}: {pointer(error.absolute_path)}: {shorten(error.message)}" for error in errors[:max_errors]]
    if len(errors) > max_errors:
        lines.append(f"{path}: ... and {len(errors) - max_errors} more")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", default=DEFAULT_SCHEMA, help="the JSON schema (default: %(default)s)")
    parser.add_argument("--quiet", action="store_true", help="print nothing for valid files")
    parser.add_argument("--max-errors", type=int, default=20, metavar="N", help="errors shown per file")
    parser.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args()

    try:
        validator = make_validator(args.schema)
    except (OSError, ValueError, jsonschema.exceptions.SchemaError) as error:
        sys.stderr.write(f"validate-sarif.py: cannot use the schema {args.schema}: {error}\n")
        return 2

    invalid = 0
    for path in args.files:
        lines = problems(validator, path, args.max_errors)
        if lines:
            invalid += 1
            print("\n".join(lines))
        elif not args.quiet:
            print(f"{path}: valid")
    if invalid:
        print(f"{invalid} of {len(args.files)} files invalid")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())
