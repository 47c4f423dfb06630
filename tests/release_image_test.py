#!/usr/bin/python3
"""The container image (Dockerfile): built with docker, podman or buildah, it holds the static
release binary as its entrypoint, works in /src, and lints the examples mounted there.

Usage: release_image_test.py IMMUTALINT-BINARY

Without a container engine that can build (none installed, or a docker client whose daemon does not
answer), or without access to the registries the base images come from, the test is skipped: it
prints the skip marker of tests/CMakeLists.txt ($IMMUTALINT_TEST_SKIP_MARKER) with the reason and
exits 77. Building the image compiles immutalint: minutes, hence the ctest label `container`.
"""

import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARKER = os.environ.get("IMMUTALINT_TEST_SKIP_MARKER", "skipped:")


def skip(reason):
    print(f"{MARKER} the container image is not built: {reason}")
    sys.exit(77)


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def engine():
    """The first engine that can build and run images here, or skip saying why none can."""
    tried = []
    for name in ("docker", "podman", "buildah"):
        path = shutil.which(name)
        if not path:
            tried.append(f"{name} is not installed")
            continue
        probe = subprocess.run([path, "info"], capture_output=True, text=True, timeout=60, check=False)
        if probe.returncode == 0:
            return name, path
        detail = (probe.stderr or probe.stdout).strip().splitlines()
        tried.append(f"{name} is installed but `{name} info` fails ({detail[-1] if detail else probe.returncode})")
    skip("no container engine can build here: " + "; ".join(tried))


def run(command, timeout, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False, **kwargs)


def main():
    binary = os.path.abspath(sys.argv[1])
    version = run([binary, "--version"], 30).stdout.strip()
    name, path = engine()
    tag = f"localhost/immutalint-test:{os.getpid()}"
    build = ([path, "bud", "-t", tag, "-f", "Dockerfile", "."] if name == "buildah"
             else [path, "build", "-t", tag, "-f", "Dockerfile", "."])
    built = run(build, 3000, cwd=ROOT)
    if built.returncode != 0:
        log = built.stdout + built.stderr
        # A build that could not fetch its base images says nothing about the Dockerfile.
        if any(sign in log for sign in ("dial tcp", "no such host", "Temporary failure in name resolution",
                                        "TLS handshake timeout", "connection refused", "i/o timeout")):
            skip(f"{name} cannot pull the base images (no network?): {log.strip().splitlines()[-1]}")
        fail(f"{name} build failed:\n{log[-4000:]}")
    runner = path if name != "buildah" else shutil.which("podman")
    try:
        if runner is None:
            skip("buildah built the image, and there is no podman to run it")
        inspected = run([runner, "image", "inspect", tag], 60)
        config = json.loads(inspected.stdout)[0].get("Config", {})
        entrypoint = config.get("Entrypoint") or []
        if not entrypoint or os.path.basename(entrypoint[0]) != "immutalint":
            fail(f"the entrypoint is {entrypoint}, not immutalint")
        if config.get("WorkingDir") != "/src":
            fail(f"the working directory is {config.get('WorkingDir')!r}, not /src")

        said = run([runner, "run", "--rm", tag, "--version"], 120)
        if said.stdout.strip() != version:
            fail(f"the image says {said.stdout.strip()!r}, the tree's immutalint {version!r}")
        examples = os.path.join(ROOT, "examples")
        linted = run([runner, "run", "--rm", "-v", f"{examples}:/src:ro", tag, "--target", "all", "--format", "json",
                      "."], 120)
        if linted.returncode != 1:
            fail(f"linting the mounted examples exited {linted.returncode}, not 1:\n{linted.stderr}")
        checks = {finding["check"] for finding in json.loads(linted.stdout)["findings"]}
        if "host-binary-install" not in checks:
            fail(f"the image's findings on the examples lack host-binary-install: {sorted(checks)}")
        print(f"{tag}: {version}, entrypoint {entrypoint}, lints /src")
    finally:
        run([runner or path, "rmi", "-f", tag], 120)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main()
