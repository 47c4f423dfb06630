#!/usr/bin/env python3
"""Opens the HTML readiness report in headless Chromium, offline.

Checks that the page's script ran under its Content-Security-Policy (it marks <body
data-ready>) with no policy violation or script error logged, that the grid in the DOM after
the script has one row per workload and one cell per target, that the text filter (filled from
`?find=TEXT`) hides the rows and findings that do not match, that a hostile manifest's names did
not run as script (they try to set <body data-pwned>), and that a screenshot is a PNG of the
window's size.

    tests/html_browser_test.py path/to/immutalint     (from the repository root)

Exit code 77 (skipped) when Chromium is not installed, except under CI=true, where that fails.
"""

import base64
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

SKIPPED = 77
WINDOW = (1400, 900)

HOSTILE = """\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: "<script>document.body.setAttribute('data-pwned','script')</script>"
  namespace: "\\"><img src=x onerror=\\"document.body.setAttribute('data-pwned','img')\\">"
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: a}}
    spec:
      hostPID: true
      containers:
        - name: "</style><style>body{display:none}</style><script>document.body.dataset.pwned='style'</script>"
          image: registry.example/x:1
          command: ["sh", "-c", "nsenter -t 1 -m -- apt-get install -y '</script><script>document.body.dataset.pwned=1</script>'"]
          securityContext: {privileged: true}
"""

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print(f"FAIL: {message}")


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run_immutalint(binary, args, stdin_text=None):
    done = subprocess.run([binary, "--fail-on", "never", *args], input=stdin_text, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        sys.exit(f"immutalint {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return done.stdout


def run_chromium(chromium, profile, *args):
    # No sandbox: CI runs this as root. Everything that could reach the network is off; the page
    # itself names nothing outside itself.
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
               "--disable-extensions", "--disable-sync", "--disable-background-networking",
               "--disable-component-update", "--disable-default-apps", "--hide-scrollbars", f"--user-data-dir={profile}",
               "--enable-logging=stderr", "--v=0", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    return done


def console_problems(stderr):
    """Policy violations and script errors that Chromium logged from the page's console."""
    patterns = ("Content Security Policy", "violates", "Refused to", "Uncaught", "SyntaxError", "TypeError", "ReferenceError")
    return [line for line in stderr.splitlines() if "CONSOLE" in line and any(p in line for p in patterns)]


def csp_hashes_match(page):
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page).group(1)
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)

    def source(text):
        return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    return f"style-src '{source(style)}'" in policy and f"script-src '{source(script)}'" in policy


def body_tag(dom):
    return re.search(r"<body[^>]*>", dom).group(0)


def check_report(chromium, profile, html_file, workloads, targets, label):
    page = open(html_file, encoding="utf-8").read()
    check(csp_hashes_match(page), f"{label}: the policy's hashes are those of the inline style and script")
    done = run_chromium(chromium, profile, "--dump-dom", f"file://{html_file}")
    check(done.returncode == 0, f"{label}: chromium --dump-dom exited {done.returncode}: {done.stderr[-2000:]}")
    dom = done.stdout
    body = body_tag(dom)
    check('data-ready="true"' in body, f"{label}: the script ran and marked <body data-ready> (body: {body})")
    check("data-pwned" not in body, f"{label}: no script from the input ran (body: {body})")
    problems = console_problems(done.stderr)
    check(not problems, f"{label}: no policy violation or script error: {problems}")
    check(re.search(r'<form id="filters">', dom) is not None, f"{label}: the script showed the filters")
    check(f"{workloads} of {workloads} workloads shown" in dom, f"{label}: the filter counts every workload")
    rows = re.findall(r'<tr id="w\d+"[^>]*>(.*?)</tr>', dom, re.S)
    check(len(rows) == workloads, f"{label}: {len(rows)} grid rows, expected {workloads}")
    for row in rows:
        cells = len(re.findall(r"<td ", row))
        if cells != targets:
            check(False, f"{label}: a grid row has {cells} cells, expected {targets}")
            break
    check("<img" not in dom, f"{label}: no element made from the input")
    return dom


def check_text_filter(chromium, profile, html_file, workloads, text, label):
    """Opens the page with ?find=TEXT: only the rows that mention TEXT, and their findings, stay."""
    done = run_chromium(chromium, profile, "--dump-dom", f"file://{html_file}?find={text}")
    check(done.returncode == 0, f"{label}: chromium --dump-dom exited {done.returncode}: {done.stderr[-2000:]}")
    dom = done.stdout
    check(not console_problems(done.stderr), f"{label}: no policy violation or script error")
    rows = re.findall(r'<tr id="w\d+"[^>]*>.*?</tr>', dom, re.S)
    shown = [row for row in rows if not re.match(r'<tr[^>]* hidden', row)]
    check(len(rows) == workloads, f"{label}: {len(rows)} grid rows, expected {workloads}")
    check(len(shown) >= 1 and all(text in row for row in shown),
          f"{label}: the rows shown are those that mention {text} ({len(shown)} shown)")
    check(len(shown) < workloads, f"{label}: the filter hides the rows that do not mention {text}")
    check(f"{len(shown)} of {workloads} workloads shown" in dom, f"{label}: the filter counts the rows shown")
    groups = re.findall(r'<section class="workload"[^>]*>', dom)
    check(any("hidden" not in group for group in groups) and any("hidden" in group for group in groups),
          f"{label}: the findings of the rows hidden are hidden too")


def check_screenshot(chromium, profile, html_file, png):
    done = run_chromium(chromium, profile, f"--screenshot={png}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
                        f"file://{html_file}")
    check(done.returncode == 0, f"chromium --screenshot exited {done.returncode}: {done.stderr[-2000:]}")
    data = open(png, "rb").read() if os.path.exists(png) else b""
    check(data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR", "the screenshot is a PNG")
    if len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        check((width, height) == WINDOW, f"the screenshot is {width}x{height}, expected {WINDOW[0]}x{WINDOW[1]}")
    check(len(data) > 10000, f"the screenshot shows something ({len(data)} bytes)")
    return len(data)


def main():
    binary = os.path.abspath(sys.argv[1])
    chromium = find_chromium()
    if not chromium:
        print("html_browser_test: chromium is not installed (Debian: apt-get install chromium)", file=sys.stderr)
        return 1 if os.environ.get("CI") == "true" else SKIPPED

    with tempfile.TemporaryDirectory(prefix="immutalint-browser-") as tmp:
        profile = os.path.join(tmp, "profile")
        args = ["--target", "all", "examples", "testdata/workloads", "testdata/daemonset"]
        report = os.path.join(tmp, "report.html")
        with open(report, "w", encoding="utf-8") as out:
            out.write(run_immutalint(binary, ["--format", "html", *args]))
        summary = json.loads(run_immutalint(binary, ["--format", "json", *args]))
        workloads, targets = summary["summary"]["workloads"], len(summary["targets"])
        check_report(chromium, profile, report, workloads, targets, "fixtures")
        check_text_filter(chromium, profile, report, workloads, "gpu-driver-installer", "text filter")
        size = check_screenshot(chromium, profile, report, os.path.join(tmp, "report.png"))

        hostile = os.path.join(tmp, "hostile.html")
        with open(hostile, "w", encoding="utf-8") as out:
            out.write(run_immutalint(binary, ["--format", "html", "--target", "all", "--stdin-filename",
                                              "<script>document.body.dataset.pwned='file'</script>.yaml", "-"],
                                     HOSTILE))
        check_report(chromium, profile, hostile, 1, targets, "hostile")

    if failures:
        print(f"html_browser_test: {len(failures)} checks failed")
        return 1
    print(f"html_browser_test: {os.path.basename(chromium)} ran both reports' script under their policy; "
          f"{workloads} workloads x {targets} targets in the grid; hostile names stayed text; "
          f"screenshot {WINDOW[0]}x{WINDOW[1]} PNG, {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
