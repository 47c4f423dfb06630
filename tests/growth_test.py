#!/usr/bin/env python3
"""immutalint's time and memory grow linearly with inputs built to make them grow faster.

Usage: growth_test.py IMMUTALINT [NAME...]

Each generator below writes an input of size n. The binary is run on it at n and 2n (the median
of three runs each), and the test fails when CPU time (user + sys) grows by more than
MAX_TIME_RATIO, or peak memory by more than MAX_MEMORY_RATIO, once what the same generator costs
at n/16 is taken off both: start-up (catalogues, target profiles, the allocator's first pools)
weighs on small inputs and is the same at every size. What is linear in the input then grows by
about 2.1, what is quadratic by about 4. It is a ratio test, with no absolute limit, so it holds
on slow sanitizer builds; the sizes keep the whole test to a few seconds on a Release build and
about 20 on a sanitizer build. Growth too small to measure at n (TIME_FLOOR, MEMORY_FLOOR_KIB) is
shown but not judged.

To add a generator: write a function of n that returns the input's text, decorated with
@generator(n), where n is the smaller size. Names on the command line run only those generators.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile

MAX_TIME_RATIO = 2.6
MAX_MEMORY_RATIO = 2.3
RUNS = 3
# Below these, at n, the growth is start-up and the allocator's pools rather than the input's:
# too small to judge on this build (a fast build runs the small inputs in a few milliseconds, and
# reuses memory that start-up freed).
TIME_FLOOR = 0.02
MEMORY_FLOOR_KIB = 16 << 10

GENERATORS = []


def generator(n):
    """Registers a generator of inputs of size n (and 2n)."""

    def register(make):
        GENERATORS.append((make.__name__, make, n))
        return make

    return register


def pod_running_script(script, block=True):
    """A pod that runs /scripts/run.sh from ConfigMap ns/scripts, with the host's /usr mounted."""
    if block:
        body = "  run.sh: |\n" + "".join("    " + line + "\n" for line in script.split("\n"))
    else:
        body = "  run.sh: " + json.dumps(script) + "\n"
    return """apiVersion: v1
kind: Pod
metadata: {name: runner, namespace: ns}
spec:
  containers:
    - name: c
      image: busybox
      command: ["sh", "/scripts/run.sh"]
      volumeMounts:
        - {name: s, mountPath: /scripts}
        - {name: h, mountPath: /host/usr}
  volumes:
    - {name: s, configMap: {name: scripts}}
    - {name: h, hostPath: {path: /usr}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: scripts, namespace: ns}
data:
""" + body


def pod_running_argument(script):
    """A pod whose container runs `sh -c` with the script as a block scalar."""
    return """apiVersion: v1
kind: Pod
metadata: {name: runner, namespace: ns}
spec:
  containers:
    - name: c
      image: busybox
      volumeMounts: [{name: h, mountPath: /host/usr}]
      command: ["sh", "-c"]
      args:
        - |
""" + "".join("          " + line + "\n" for line in script.split("\n")) + """  volumes:
    - {name: h, hostPath: {path: /usr}}
"""


@generator(128 << 10)
def shell_cwd(n):
    # One long `cd`, then many commands: each command kept its own copy of the directory.
    return pod_running_script("cd /" + "a" * (n // 2) + "\n" + ":\n" * (n // 4) + "cp x /host/usr/bin/canary")


@generator(128 << 10)
def shell_env(n):
    # Many variables, then many `$(...)`: each substitution copied every variable.
    variables = "\n".join(f"v{i}=x" for i in range(n // 16))
    return pod_running_script(variables + "\n: " + " ".join(["$(:)"] * ((n - len(variables)) // 5)) +
                              "\ncp x /host/usr/bin/canary")


@generator(32 << 10)
def line_count(n):
    # One command per line of a `sh -c` argument: each command's line was counted from the start.
    return pod_running_argument(":\n" * (n // 2) + "cp x /host/usr/bin/canary")


@generator(1000)
def many_containers(n):
    # n containers with several mounts and commands each: each command's host mount was looked
    # up among every mount of every container. (Written out: aliases that repeat containers are
    # capped by the alias budget.)
    mounts = ", ".join(f"{{name: h{i}, mountPath: /host/m{i}}}" for i in range(8))
    commands = "; ".join(f"cp a /host/m{i}/bin/b" for i in range(8))
    volumes = ", ".join(f"{{name: h{i}, hostPath: {{path: /usr/m{i}}}}}" for i in range(8))
    containers = "".join(f"    - {{name: c{j}, image: i, command: [sh, -c, '{commands}'], volumeMounts: [{mounts}]}}\n"
                         for j in range(n))
    return ("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\n"
            f"spec:\n  volumes: [{volumes}]\n  containers:\n" + containers)


@generator(4000)
def many_volumes(n):
    # One pod mounting n ConfigMaps, and the ConfigMaps: each mount's volume was looked up by
    # name among all of them, and each ConfigMap among those found.
    pod = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec:\n  containers:\n  - name: c\n"
           "    image: i\n    command: [sh, /s0/run.sh]\n    volumeMounts:\n" +
           "".join(f"    - {{name: v{i}, mountPath: /s{i}}}\n" for i in range(n)) + "  volumes:\n" +
           "".join(f"  - {{name: v{i}, configMap: {{name: cm{i}}}}}\n" for i in range(n)))
    return pod + "".join(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: cm{i}, namespace: ns}}\n"
                         f"data:\n  run.sh: \"echo {i}\"\n" for i in range(n))


@generator(1 << 20)
def large_script(n):
    # A ConfigMap script of comments and commands, within the size limit: read whole.
    lines = []
    size = 0
    while size < n:
        line = f"cp /payload/a{len(lines)} /host/usr/bin/" if len(lines) % 4 == 0 else "# " + "x" * 76
        lines.append(line)
        size += len(line) + 1
    return pod_running_script("\n".join(lines))


@generator(5 << 20)
def oversized_script(n):
    # A ConfigMap script over the size limit: not read, but reported; the rest of the input is.
    return pod_running_script("\n".join(["# " + "x" * 76] * (n // 79 + 1)) + "\ncp /payload/a /host/usr/bin/a")


def run_once(binary, path):
    """(CPU seconds, peak RSS in KiB) of one run."""
    with open(os.devnull, "wb") as null:
        child = subprocess.Popen([binary, "--jobs", "1", path], stdout=null, stderr=null)
        _, status, usage = os.wait4(child.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: findings
        raise SystemExit(f"{binary} {path} exited with {code}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def measure(binary, path):
    runs = [run_once(binary, path) for _ in range(RUNS)]
    return statistics.median(t for t, _ in runs), statistics.median(m for _, m in runs)


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    binary = sys.argv[1]
    chosen = [g for g in GENERATORS if len(sys.argv) == 2 or g[0] in sys.argv[2:]]
    failures = []
    with tempfile.TemporaryDirectory() as folder:

        def written(name, text):
            path = os.path.join(folder, name + ".yaml")
            with open(path, "w") as out:
                out.write(text)
            return path

        print(f"growth from n to 2n, less the cost at n/16; limits: time x{MAX_TIME_RATIO}, "
              f"memory x{MAX_MEMORY_RATIO}; '-': too small at n to judge on this build")
        print(f"{'generator':18} {'n':>9} {'bytes':>10} {'cpu s':>8} {'KiB':>9}   {'time x':>6} {'memory x':>8}")
        for name, make, n in chosen:
            rows = []
            for size in (n // 16, n, 2 * n):
                text = make(size)
                seconds, memory = measure(binary, written(f"{name}-{size}", text))
                rows.append((size, len(text), seconds, memory))
            base_time, base_memory = rows[0][2], rows[0][3]
            judge_time = rows[1][2] - base_time >= TIME_FLOOR
            judge_memory = rows[1][3] - base_memory >= MEMORY_FLOOR_KIB
            grown_time = max(rows[2][2] - base_time, 1e-3) / max(rows[1][2] - base_time, 1e-3)
            grown_memory = max(rows[2][3] - base_memory, 1) / max(rows[1][3] - base_memory, 1)
            for i, (size, length, seconds, memory) in enumerate(rows):
                ratios = ""
                if i == 2:
                    ratios = (f"   {grown_time:6.2f}" if judge_time else f"   {'-':>6}") + \
                             (f" {grown_memory:8.2f}" if judge_memory else f" {'-':>8}")
                print(f"{name:18} {size:9} {length:10} {seconds:8.3f} {memory:9}{ratios}")
            if judge_time and grown_time > MAX_TIME_RATIO:
                failures.append(f"{name}: CPU time grew x{grown_time:.2f} when the input doubled")
            if judge_memory and grown_memory > MAX_MEMORY_RATIO:
                failures.append(f"{name}: memory grew x{grown_memory:.2f} when the input doubled")
    for failure in failures:
        print("FAIL " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
