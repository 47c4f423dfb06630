#!/usr/bin/env python3
"""make-list.py - a `kind: List` as `kubectl get pods -A -o yaml` prints it, with N plain Pod
items (sorted keys, no anchors), for measuring memory on big cluster dumps.

Usage: make-list.py --items 200000 -o list.yaml
"""
import argparse
import sys


def item(i):
    ns = f"team-{i % 97:02d}"
    name = f"web-{i:06d}-7d9f8b"
    return (
        "- apiVersion: v1\n"
        "  kind: Pod\n"
        "  metadata:\n"
        f"    name: {name}\n"
        f"    namespace: {ns}\n"
        "  spec:\n"
        "    containers:\n"
        "    - image: registry.example/web:1.4\n"
        "      name: web\n"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200000)
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args()
    out = sys.stdout if args.output == "-" else open(args.output, "w")
    out.write("apiVersion: v1\nitems:\n")
    for i in range(args.items):
        out.write(item(i))
    out.write("kind: List\nmetadata:\n  resourceVersion: \"\"\n")
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
