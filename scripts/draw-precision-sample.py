#!/usr/bin/python3
"""Draws a stratified random sample of immutalint's warnings and errors, for hand judgement.

Usage: draw-precision-sample.py [--size N] [--root DIR] REPORT.json SEED

REPORT.json is the output of `immutalint --target all --no-config --format json CORPUS`. Every
finding of severity warning or error is a candidate; each check is a stratum. A check gets
min(its count, --floor) rows first, then the rest of --size rows go to the checks in proportion
to their counts (largest remainders, no check beyond its count). Within a check the rows are
drawn with Python's random.Random(SEED), so the same report and seed give the same rows.

Prints TSV with a header, sorted by file and line: file (relative to --root, by default the
deepest folder holding every finding's file), line, check, target and verdict. The target is
the first target, in the report's order, at the worst verdict the finding's own check gives
(verdicts lent by a folded observation of another check are left out, as they belong to that
check); verdict is that verdict. A finding with no per-target verdict (the input checks, such as
duplicate-key) has target `-` and its severity as verdict. The strata table goes to stderr.
"""

import argparse
import json
import os
import random
import sys

VERDICT_RANK = {"ready": 0, "review": 1, "likely-breaks": 2, "breaks": 3}


def claim(finding):
    """(target, verdict) of a finding: its own check's worst verdict and the first target at it."""
    own = [t for t in finding.get("targets", []) if t.get("check", finding["check"]) == finding["check"]]
    if not own:
        return "-", finding["severity"]
    worst = max(VERDICT_RANK[t["verdict"]] for t in own)
    first = next(t for t in own if VERDICT_RANK[t["verdict"]] == worst)
    return first["target"], first["verdict"]


def allocate(counts, size, floor):
    """Rows per check: a floor each, the rest in proportion to the counts by largest remainder."""
    take = {check: min(count, floor) for check, count in counts.items()}
    total = sum(counts.values())
    left = min(size, total) - sum(take.values())
    while left > 0:
        room = {check: counts[check] - take[check] for check in counts if counts[check] > take[check]}
        weight = sum(counts[check] for check in room)
        shares = {check: left * counts[check] / weight for check in room}
        whole = {check: min(int(share), room[check]) for check, share in shares.items()}
        given = sum(whole.values())
        if given < left:
            # Largest remainders, ties broken by the larger count, then the id, so the split is stable.
            order = sorted(room, key=lambda c: (-(shares[c] - int(shares[c])), -counts[c], c))
            for check in order:
                if given == left:
                    break
                if whole[check] < room[check]:
                    whole[check] += 1
                    given += 1
        for check, extra in whole.items():
            take[check] += extra
        left -= given
    return take


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", help="immutalint --format json output")
    parser.add_argument("seed", type=int, help="seed of the random draw")
    parser.add_argument("--size", type=int, default=64, help="rows to draw (default 64)")
    parser.add_argument("--floor", type=int, default=3, help="rows every check gets at least (default 3)")
    parser.add_argument("--root", help="folder the file column is relative to")
    args = parser.parse_args()

    with open(args.report, encoding="utf-8") as stream:
        report = json.load(stream)
    candidates = [f for f in report["findings"] if f["severity"] in ("warning", "error")]
    if not candidates:
        sys.exit("draw-precision-sample.py: the report has no warning or error")
    root = args.root or os.path.commonpath([os.path.dirname(f["file"]) for f in candidates])

    by_check = {}
    for finding in sorted(candidates, key=lambda f: (f["file"], f["line"], f["column"], f["check"])):
        by_check.setdefault(finding["check"], []).append(finding)
    counts = {check: len(findings) for check, findings in by_check.items()}
    take = allocate(counts, args.size, args.floor)

    rng = random.Random(args.seed)
    drawn = []
    for check in sorted(by_check):
        drawn.extend(rng.sample(by_check[check], take[check]))

    sys.stderr.write("check\tfindings\tdrawn\n")
    for check in sorted(counts, key=lambda c: (-counts[c], c)):
        sys.stderr.write(f"{check}\t{counts[check]}\t{take[check]}\n")
    sys.stderr.write(f"total\t{sum(counts.values())}\t{len(drawn)}\n")

    print("file\tline\tcheck\ttarget\tverdict")
    for finding in sorted(drawn, key=lambda f: (f["file"], f["line"], f["check"])):
        target, verdict = claim(finding)
        print(f"{os.path.relpath(finding['file'], root)}\t{finding['line']}\t{finding['check']}\t{target}\t{verdict}")


if __name__ == "__main__":
    main()
