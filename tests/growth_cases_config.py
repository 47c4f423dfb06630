"""Growth cases for the configuration: waivers and globs whose cost must grow linearly with n.

Each case is (name, make_input): make_input(dir, n) writes its files into the existing folder
`dir` and returns the arguments to give immutalint (without the program itself). Paths in them
are absolute and the configuration is named with --config, so the run does not depend on the
working directory. n is the size of the repeated part; the input grows linearly with it. The
configuration file must stay under 1 MiB: MAX_N gives the largest n of each case.
"""

import os

POD = ("---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: ns\nspec:\n"
       "  hostPID: true\n  containers: [{{name: c, image: i}}]\n")


def _write(path, text):
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)


def _run_args(dir, inputs):
    return ["--config", os.path.join(dir, "immutalint.yaml"), "--format", "json", "--fail-on", "never"] + inputs


def long_object_name(dir, n):
    """A name waiver `*-debug` against a Pod whose name is n characters long."""
    _write(os.path.join(dir, "immutalint.yaml"),
           "ignores:\n  - check: host-pid\n    reason: debug pods\n    name: \"*-debug\"\n")
    _write(os.path.join(dir, "pod.yaml"), POD.format(name="a" * n + "-debug"))
    return _run_args(dir, [os.path.join(dir, "pod.yaml")])


def alternating_stars(dir, n):
    """A name waiver `*a*a...*b` of n/2 stars against a Pod whose name is n letters `a`."""
    _write(os.path.join(dir, "immutalint.yaml"),
           "ignores:\n  - check: host-pid\n    reason: r\n    name: \"" + "*a" * (n // 2) + "*b\"\n")
    _write(os.path.join(dir, "pod.yaml"), POD.format(name="a" * n))
    return _run_args(dir, [os.path.join(dir, "pod.yaml")])


def exclude_stars(dir, n):
    """An exclude glob of n stars, applied to the files a directory walk finds."""
    _write(os.path.join(dir, "immutalint.yaml"), "exclude: [\"" + "*" * n + "\"]\n")
    os.makedirs(os.path.join(dir, "deploy"), exist_ok=True)
    for i in range(20):
        _write(os.path.join(dir, "deploy", f"pod{i}.yaml"), POD.format(name=f"p{i}"))
    return _run_args(dir, [os.path.join(dir, "deploy")])


def aliased_ignores(dir, n):
    """One ignores entry written once and aliased n times, and 200 Pods it does not match."""
    _write(os.path.join(dir, "immutalint.yaml"),
           "ignores: [&w {check: host-pid, reason: r, name: 'p*q'}, " + ", ".join(["*w"] * n) + "]\n")
    _write(os.path.join(dir, "pods.yaml"), "".join(POD.format(name=f"p{i}") for i in range(200)))
    return _run_args(dir, [os.path.join(dir, "pods.yaml")])


MAX_N = {
    "name-waiver-long-object-name": 4_000_000,
    "name-waiver-alternating-stars": 1_000_000,
    "exclude-glob-many-stars": 1_000_000,
    "config-aliased-ignores": 250_000,
}

CASES = [
    ("name-waiver-long-object-name", long_object_name),
    ("name-waiver-alternating-stars", alternating_stars),
    ("exclude-glob-many-stars", exclude_stars),
    ("config-aliased-ignores", aliased_ignores),
]
