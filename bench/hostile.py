#!/usr/bin/env python3
"""Time and peak memory of immutalint builds on inputs made to blow up time or memory.

Usage: bench/hostile.py [--runs N] [--timeout S] NAME=BINARY [NAME=BINARY...]

Each case is built by the generators in ../shared/repro/hostile (so that it is the very input a
defect was reported with), then every binary lints it, interleaved run by run so that changes in
machine load hit each alike. Prints, per case and binary, the median CPU time (user + sys) and
peak resident memory, or how the run ended when it did not finish (timeout, signal). Runs are
limited to TIMEOUT seconds of wall time and 6 GiB of address space, as the reproducers were.

  bench/hostile.py before=/tmp/before/immutalint after=build/immutalint
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading

SHARED = os.environ.get("IMMUTALINT_SHARED_DIR",
                        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared"))
REPRO = os.path.join(SHARED, "repro", "hostile")
ADDRESS_SPACE = 6 << 30


def shell_case(folder, mode, size, name):
    """A case of gen-shell-cases.py: its script `name` at `size` bytes, in a ConfigMap or `sh -c`."""

    def make(work):
        prefix = f"{mode}{size}-"
        subprocess.run([sys.executable, os.path.join(REPRO, folder, "gen-shell-cases.py")], cwd=work, check=True,
                       stdout=subprocess.DEVNULL, env=dict(os.environ, SIZE=str(size), MODE=mode, PREFIX=prefix))
        return [os.path.join(work, prefix + name + ".yaml")]

    return make


def generated(folder, argument, output, config=False):
    """A case of a folder's gen.py: `output` is the file it writes; with `config`, a checkout
    whose .immutalint.yaml the generator writes too."""

    def make(work):
        subprocess.run([sys.executable, os.path.join(REPRO, folder, "gen.py")] + ([argument] if argument else []),
                       cwd=work, check=True, stdout=subprocess.DEVNULL)
        if config:
            os.makedirs(os.path.join(work, ".git"), exist_ok=True)
        return [os.path.join(work, output)]

    return make


def name_waiver(work):
    """A 200,000-character object name against the waiver `name: "*-debug"`."""
    subprocess.run([sys.executable, os.path.join(REPRO, "wildcard-recursion-stack-overflow", "gen.py")], cwd=work,
                   check=True)
    os.makedirs(os.path.join(work, ".git"), exist_ok=True)
    shutil.copy(os.path.join(REPRO, "wildcard-recursion-stack-overflow", "name-waiver.immutalint.yaml"),
                os.path.join(work, ".immutalint.yaml"))
    return [os.path.join(work, "long-name.yaml")]


CASES = [
    ("shell-cwd-copy, ConfigMap 128 KiB", shell_case("shell-cwd-copy-memory-amplification", "cm", 128 << 10,
                                                     "cwd-copy-amplification")),
    ("shell-cwd-copy, sh -c 1 MiB", shell_case("shell-cwd-copy-memory-amplification", "args", 1 << 20,
                                               "cwd-copy-amplification")),
    ("shell-env-copy, ConfigMap 250 KiB", shell_case("shell-env-copy-per-substitution-quadratic", "cm", 250 << 10,
                                                     "env-copy-quadratic")),
    ("evidence-line-count, ConfigMap 250 KiB", shell_case("evidence-line-count-per-command-quadratic", "cm",
                                                          250 << 10, "many-commands")),
    ("evidence-line-count, sh -c 1 MiB", shell_case("evidence-line-count-per-command-quadratic", "args", 1 << 20,
                                                    "many-commands")),
    ("many-containers, 64,000 aliases", generated("pod-many-containers-mount-lookup-quadratic", "64000",
                                                  "containers-alias-64000.yaml")),
    ("many-volumes, 40,000 ConfigMaps", generated("pod-many-volumes-lookup-quadratic", "40000",
                                                  "cm-volumes-40000.yaml")),
    ("many-volumes, 100,000 ConfigMaps", generated("pod-many-volumes-lookup-quadratic", "100000",
                                                   "cm-volumes-100000.yaml")),
    ("alias-fan-out, JobSet of 20,000 aliases", generated("alias-fan-out-pod-amplification", "20000",
                                                          "jobset-alias-20000.yaml")),
    ("alias-fan-out, JobSet of 100,000 aliases", generated("alias-fan-out-pod-amplification", "100000",
                                                           "jobset-alias-100000.yaml")),
    ("config-alias waivers, 200,000 aliases", generated("config-alias-waivers-duplicate-unused-reports", None,
                                                        "pods.yaml", config=True)),
    ("wildcard, 200,000-character name", name_waiver),
]


def limit_address_space():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_once(binary, files, cwd, timeout):
    """(CPU seconds, peak RSS in MiB, output bytes, how it ended or None)."""
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen([binary, "--fail-on", "never", "--jobs", "1"] + files, cwd=cwd, stdout=out,
                                 stderr=subprocess.STDOUT, preexec_fn=limit_address_space)
        killed = threading.Event()

        def kill():
            killed.set()
            child.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(child.pid, 0)  # wait4: this child's own rusage
        timer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)
        size = out.tell()
    if killed.is_set():
        ended = f"killed after {timeout} s"
    elif child.returncode < 0:
        ended = f"signal {-child.returncode}"
    elif child.returncode != 0:
        ended = f"exit {child.returncode}"
    else:
        ended = None
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, size, ended


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=int, default=120)
    parser.add_argument("--only", help="run only the cases whose name contains this text")
    parser.add_argument("binaries", nargs="+", metavar="NAME=BINARY")
    args = parser.parse_args()
    if not os.path.isdir(REPRO):
        raise SystemExit(f"{REPRO}: not found (set IMMUTALINT_SHARED_DIR)")
    binaries = [tuple(b.split("=", 1)) for b in args.binaries]
    print(f"median of {args.runs} runs (1 when a run is killed); CPU s = user + sys; peak RSS in MiB")
    print(f"{'case':42} {'binary':8} {'CPU s':>8} {'MiB':>7} {'report':>9}  ended")
    for title, make in CASES:
        if args.only and args.only not in title:
            continue
        with tempfile.TemporaryDirectory() as work:
            files = make(work)
            for name, binary in binaries:
                runs = []
                for _ in range(args.runs):
                    runs.append(run_once(os.path.abspath(binary), files, work, args.timeout))
                    if runs[-1][3] and runs[-1][3].startswith("killed"):
                        break
                seconds = statistics.median(r[0] for r in runs)
                memory = statistics.median(r[1] for r in runs)
                size = statistics.median(r[2] for r in runs)
                ended = runs[-1][3] or "ok"
                print(f"{title:42} {name:8} {seconds:8.2f} {memory:7.0f} {size:9.0f}  {ended}", flush=True)


if __name__ == "__main__":
    main()
