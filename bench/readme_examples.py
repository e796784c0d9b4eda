"""The README's examples, run as written: check them, or rewrite their output from real runs.

    python -m uv run python bench/readme_examples.py            # check; exit 1 on a difference
    python -m uv run python bench/readme_examples.py --update   # rewrite the outputs in README.md

An example is a ``console`` block: lines starting with ``$ `` are commands, the lines after
each are its output (standard output, then standard error). A line holding only ``…`` stands for
any number of lines: ``--update`` keeps as many lines before and after it as the README shows.
Commands on lines starting with ``advisor`` in ``sh`` blocks are run too and must succeed
(``advisor ask`` needs a person at a terminal and is left out), and ``python`` blocks are
executed. Everything runs in a scratch folder that sees the repository's ``cases/``, ``docs/``, ``exercises/``
and ``rules/``, with the environment's ``bin`` folder first on PATH -- as after the README's
setup -- 100 columns wide, without colour.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
ELLIPSIS = "…"
BLOCK = re.compile(r"^( *)```(\w+)\n(.*?)^\1```", re.S | re.M)
SHARED_FOLDERS = ("cases", "docs", "exercises", "rules")


@dataclass(frozen=True)
class Example:
    """One command of the README, with the output the README shows (None: only its success counts)."""

    command: str
    expected: tuple[str, ...] | None
    start: int  # where the output's text begins in the README (for --update)
    end: int
    indent: str = ""  # the block's indentation (a block inside a list item)

    def __str__(self) -> str:
        return self.command


def examples(text: str) -> list[Example]:
    """Return the README's examples in order: console commands with output, sh commands without."""
    found = []
    for block in BLOCK.finditer(text):
        indent, kind, body, offset = block.group(1), block.group(2), block.group(3), block.start(3)
        if kind == "console":
            found += _console(body, offset, indent)
        elif kind == "sh":
            for line in body.splitlines():
                command = line.split("  #")[0].strip()
                if command.startswith("advisor ") and not command.startswith("advisor ask"):
                    found.append(Example(command, None, -1, -1))
        elif kind == "python":
            found.append(Example(f"python -c {_quote(body)}", None, -1, -1))
    return found


def _console(body: str, offset: int, indent: str) -> list[Example]:
    found, lines, position = [], body.splitlines(keepends=True), offset
    index = 0
    while index < len(lines):
        line = lines[index].removeprefix(indent)
        position += len(lines[index])
        index += 1
        if not line.startswith("$ "):
            continue
        start, output = position, []
        while index < len(lines) and not lines[index].removeprefix(indent).startswith("$ "):
            output.append(lines[index].removeprefix(indent).rstrip("\n"))
            position += len(lines[index])
            index += 1
        found.append(Example(line[2:].strip(), tuple(output), start, position, indent))
    return found


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


def run(example: Example, workdir: Path) -> tuple[int, list[str]]:
    """Run one example as a shell command; return its exit status and output lines, trimmed."""
    bin_dir = str(Path(sys.executable).parent)
    env = {
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(workdir)),
        "COLUMNS": "100",
        "LINES": "50",
        "NO_COLOR": "1",
        "TERM": "dumb",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        ["bash", "-c", example.command],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [_relative(line.rstrip()) for line in (done.stdout + done.stderr).splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return done.returncode, lines


def _relative(line: str) -> str:
    """Show the repository's paths from the repository, keeping a panel's right border in place."""
    prefix = f"{ROOT}{os.sep}"
    if prefix not in line:
        return line
    short = line.replace(prefix, "")
    if short.endswith("│"):
        short = short[:-1] + " " * (len(line) - len(short)) + "│"
    return short


def agrees(expected: tuple[str, ...], actual: list[str]) -> bool:
    """Return whether output matches what the README shows, a ``…`` line standing for any lines."""
    shown = [line.rstrip() for line in expected]
    while shown and not shown[-1]:
        shown.pop()
    if ELLIPSIS not in shown:
        return shown == actual
    cut = shown.index(ELLIPSIS)
    head, tail = shown[:cut], shown[cut + 1 :]
    if ELLIPSIS in tail:
        raise ValueError("an example may elide one stretch of lines only")
    return actual[: len(head)] == head and (not tail or actual[-len(tail) :] == tail)


def refreshed(expected: tuple[str, ...], actual: list[str]) -> list[str]:
    """Return the output to show: the real one, elided as the README elides it."""
    if ELLIPSIS not in expected:
        return actual
    cut = expected.index(ELLIPSIS)
    head, tail = cut, len(expected) - cut - 1
    return [*actual[:head], ELLIPSIS, *(actual[-tail:] if tail else [])]


def scratch() -> tempfile.TemporaryDirectory[str]:
    """Return a scratch folder that sees the repository's cases, docs, exercises and rules."""
    folder = tempfile.TemporaryDirectory(prefix="readme-examples-")
    for name in SHARED_FOLDERS:
        os.symlink(ROOT / name, Path(folder.name) / name)
    return folder


def main(argv: list[str]) -> int:
    """Check the README's examples (or rewrite their output with --update); return the exit status."""
    update = "--update" in argv
    text = README.read_text(encoding="utf-8")
    problems, edits = [], []
    with scratch() as folder:
        for example in examples(text):
            status, actual = run(example, Path(folder))
            if example.expected is None:
                if status not in (0, 1):  # 1: evaluate found a case that disagrees; it still ran
                    problems.append(f"{example}: exit status {status}\n" + "\n".join(actual[-5:]))
                continue
            if not agrees(example.expected, actual):
                problems.append(f"{example}: the output differs from the README")
                edits.append((example, refreshed(example.expected, actual)))
    if update:
        for example, lines in sorted(edits, key=lambda e: e[0].start, reverse=True):
            shown = "".join(f"{example.indent}{line}".rstrip() + "\n" for line in lines)
            text = text[: example.start] + shown + text[example.end :]
        README.write_text(text, encoding="utf-8")
        print(f"updated {len(edits)} example(s) in {README.name}")
        return 0
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)" if problems else "every README example runs as written")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
