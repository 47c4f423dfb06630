#!/usr/bin/env python3
"""Writes the immutalint(1) man page, and a gzipped copy, from the built binary's --help output.

Usage: make-manpage.py --binary PATH --summary TEXT --docdir DIR --output FILE.1

The help text is the single source of the options, so the page is generated rather than written
by hand. Only the standard library is used. The date in the page header comes from
SOURCE_DATE_EPOCH when set and is left out otherwise, and the gzip header carries neither a name
nor a time, so the same binary always gives byte-identical files.
"""

import argparse
import datetime
import gzip
import os
import re
import subprocess
import sys

# "  -f, --format FORMAT   Report format" or "      --no-color   Never colour"; cxxopts puts the
# description on the next line when the option column is too wide, so it is optional here.
OPTION_LINE = re.compile(r"^\s+(?:(-\w),\s+)?(--[\w-]+)(?:[ =](\S+))?(?:\s{2,}(\S.*?))?\s*$")
# "Exit status: 0 no finding ..., 1 findings ..., 2 usage error."
EXIT_ITEM = re.compile(r"(\d+) (.+?)(?:, (?=\d+ )|\.?$)")


def fail(message):
    sys.exit(f"make-manpage.py: {message}")


def escape(text):
    """Escapes prose for troff; option names and a lone '-' get \\- so they copy as ASCII."""
    text = text.replace("\\", "\\e")
    text = re.sub(r"(?<![\w-])--?\w[\w-]*", lambda m: m.group(0).replace("-", "\\-"), text)
    return re.sub(r"(?<![\w\\-])-(?![\w-])", "\\-", text)


def line(text):
    """A text line that troff cannot mistake for a request."""
    return "\\&" + text if text.startswith((".", "'")) else text


def paragraphs(lines):
    """Splits lines at blank lines."""
    block = []
    for text in lines:
        if text.strip():
            block.append(text)
        elif block:
            yield block
            block = []
    if block:
        yield block


def render_paragraph(block):
    """A help paragraph: wrapped lines are joined; indented lines (examples) stay verbatim."""
    out = [".PP"]
    prose = []
    literal = []

    def flush():
        if prose:
            out.append(line(escape(" ".join(prose))))
            prose.clear()
        if literal:
            out.extend([".RS 4", ".nf", *literal, ".fi", ".RE"])
            literal.clear()

    for text in block:
        if text.startswith(" "):
            if prose:
                flush()
            literal.append(line(escape(text.strip())))
        else:
            if literal:
                flush()
            prose.append(text.strip())
    flush()
    return out


def parse_options(block):
    """(short, long, argument, description) for each option of the cxxopts options block."""
    options = []
    for text in block:
        match = OPTION_LINE.match(text)
        if match:
            short, long_name, argument, description = match.groups()
            options.append([short, long_name, argument, description or ""])
        elif options:
            # A wrapped description continues on deeper-indented lines.
            options[-1][3] = (options[-1][3] + " " + text.strip()).strip()
        else:
            fail(f"unexpected line before the first option: {text!r}")
    return options


def render_option(short, long_name, argument, description):
    names = ", ".join("\\fB" + name.replace("-", "\\-") + "\\fR" for name in (short, long_name) if name)
    if argument:
        names += f" \\fI{escape(argument)}\\fR"
    return [".TP", line(names), line(escape(" ".join(description.split())))]


def render_exit_status(text):
    body = text[len("Exit status:"):].strip()
    if not re.fullmatch(r"\d+ .+?(?:, \d+ .+?)*\.?", body):
        # Not the "N meaning, N meaning." shape: keep the sentence as it is.
        return [".SH \"EXIT STATUS\"", line(escape(body))]
    items = EXIT_ITEM.findall(body)
    out = [".SH \"EXIT STATUS\""]
    for code, meaning in items:
        meaning = meaning.strip()
        out += [".TP", f".B {code}", line(escape(meaning[:1].upper() + meaning[1:] + "."))]
    return out


def synopsis(usage_lines):
    out = [".SH SYNOPSIS"]
    for text in usage_lines:
        program, _, arguments = text.strip().partition(" ")
        arguments = re.sub(r"[A-Z][A-Z_]*", r"\\fI\g<0>\\fR", escape(arguments))
        out += [f".B {program}", line(arguments), ".br"]
    out.pop()
    return out


def build_page(help_text, version_text, summary, docdir):
    lines = help_text.splitlines()
    if "Usage:" not in lines:
        fail("no 'Usage:' line in the --help output")
    usage_at = lines.index("Usage:")
    description = lines[:usage_at]
    rest = lines[usage_at + 1:]
    blocks = list(paragraphs(rest))
    if len(blocks) < 2:
        fail("expected a usage line and an options block after 'Usage:'")
    usage_lines, option_block, trailing = blocks[0], blocks[1], blocks[2:]
    options = parse_options(option_block)
    if not options:
        fail("no options found in the --help output")

    program, _, version = version_text.strip().partition(" ")
    date = ""
    if "SOURCE_DATE_EPOCH" in os.environ:
        stamp = datetime.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), datetime.timezone.utc)
        date = stamp.strftime("%Y-%m-%d")

    page = [
        f".\\\" Generated by scripts/make-manpage.py from '{program} --help'. Do not edit.",
        f".TH {program.upper()} 1 \"{date}\" \"{program} {version}\" \"User Commands\"",
        ".SH NAME",
        f"{program} \\- {escape(summary)}",
    ]
    page += synopsis(usage_lines)
    page.append(".SH DESCRIPTION")
    exit_status = None
    for block in paragraphs(description):
        page += render_paragraph(block)
    for block in trailing:
        if block[0].startswith("Exit status:"):
            exit_status = " ".join(text.strip() for text in block)
        else:
            page += render_paragraph(block)
    page.append(".SH OPTIONS")
    for option in options:
        page += render_option(*option)
    if exit_status:
        page += render_exit_status(exit_status)
    else:
        print("make-manpage.py: warning: no 'Exit status:' paragraph in --help", file=sys.stderr)
    # \\% keeps troff from hyphenating the paths.
    page += [
        ".SH \"SEE ALSO\"",
        ".TP",
        f"\\fB{program} \\-\\-list\\-checks\\fR, \\fB{program} \\-\\-explain\\fR \\fIID\\fR",
        "The checks; why one matters on immutable hosts and how to fix what it reports.",
        ".TP",
        f".I \\%{escape(docdir)}/docs/checks.md",
        "The reference of every check.",
        ".TP",
        f".I \\%{escape(docdir)}/README.md",
        "Inputs, options, report formats and suppressions.",
        ".TP",
        f".I \\%{escape(docdir)}/examples/",
        "Example manifests.",
    ]
    return "\n".join(page) + "\n"


def write_atomically(path, data):
    temporary = path + ".tmp"
    with open(temporary, "wb") as out:
        out.write(data)
    os.replace(temporary, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True, help="the built immutalint")
    parser.add_argument("--summary", required=True, help="one-line summary for the NAME section")
    parser.add_argument("--docdir", required=True, help="where the documentation is installed")
    parser.add_argument("--output", required=True, help="the man page; FILE.gz is written beside it")
    args = parser.parse_args()

    def run(flag):
        try:
            return subprocess.run([args.binary, flag], check=True, capture_output=True, text=True).stdout
        except (OSError, subprocess.CalledProcessError) as error:
            fail(f"cannot run {args.binary} {flag}: {error}")

    page = build_page(run("--help"), run("--version"), args.summary, args.docdir).encode()
    write_atomically(args.output, page)
    # mtime=0 and no file name in the header keep the archive reproducible, as gzip -n does.
    write_atomically(args.output + ".gz", gzip.compress(page, compresslevel=9, mtime=0))


if __name__ == "__main__":
    main()
