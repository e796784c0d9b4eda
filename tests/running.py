"""What test modules share: the real ``advisor`` in a subprocess or a pseudo-terminal, a model dyad,
golden files and hypothesis budgets (imported by test modules, and by bench/bench_ask.py)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from advisor.facts import FactValue, scales

ROOT = Path(__file__).resolve().parent.parent

# --- hypothesis budgets -----------------------------------------------------------------------------

DEV_EXAMPLES = 10  # a developer's quick run: the ``dev`` profile (tests/conftest.py)
FULL = os.environ.get("HYPOTHESIS_PROFILE") == "ci"  # .ci/run (and pytest -m slow): whole budgets


def examples(budget: int) -> int:
    """Return how many inputs a property tries: its whole ``budget`` in a full run, else at most 10."""
    return budget if FULL else min(budget, DEV_EXAMPLES)


# --- a model dyad -----------------------------------------------------------------------------------

# The United States and Japan: a high, fully shared threat about security, met by an alliance.
# Tests that need another dyad change a few facts of this one.
US_JAPAN: dict[str, FactValue] = {
    "threat_level": "high",
    "shared_adversary": "full",
    "power_asymmetry": "high",
    "ratification_cost": "high",
    "existing_ties": "alliance",
    "economic_interdependence": "medium",
    "value_alignment": "high",
    "governance_alignment": "high",
    "entrapment_risk": "moderate",
    "rival_ties": False,
    "autonomy_tradition": False,
    "issue_scope": "security",
    "nonstate_actors_essential": False,
}

_LEFT_OUT: Any = object()


@st.composite
def dyads_some_absent(draw: st.DrawFn) -> dict[str, FactValue]:
    """A dyad over every fact (grouping too): complete, or with any facts left out."""
    complete = draw(st.booleans())
    facts = {}
    for name, scale in scales().items():
        choices = scale.values if complete else (_LEFT_OUT, *scale.values)
        value = draw(st.sampled_from(choices))
        if value is not _LEFT_OUT:
            facts[name] = value
    return facts


# --- golden files -----------------------------------------------------------------------------------

GOLDEN = ROOT / "tests" / "golden"


def trimmed(text: str) -> str:
    """Return text without trailing spaces on its lines, ending in one newline."""
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def check_golden(path: Path, text: str) -> None:
    """Compare text with the golden file PATH; UPDATE_GOLDEN=1 (or ADVISOR_UPDATE_GOLDEN=1) rewrites it."""
    if "1" in (os.environ.get("UPDATE_GOLDEN"), os.environ.get("ADVISOR_UPDATE_GOLDEN")):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} is missing; run UPDATE_GOLDEN=1 uv run pytest, then review the diff"
    assert text == path.read_text(encoding="utf-8")


# --- the real program -------------------------------------------------------------------------------


def contested_case(folder: Path, **given: str) -> Path:
    """Write the library's US-Japan 1960 case into ``folder`` with some facts given otherwise, as YAML
    text: ``threat_level="[moderate, high]"`` (several plausible values) or ``"unknown"``."""
    source = ROOT / "cases" / "library" / "us-japan-1960.yaml"
    lines = [
        next((f"  {fact}: {text}" for fact, text in given.items() if line.startswith(f"  {fact}:")), line)
        for line in source.read_text(encoding="utf-8").splitlines()
    ]
    path = folder / "contested.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def in_process(*args: str | Path, columns: int = 100) -> Any:
    """Run ``advisor`` in this process (quicker than a subprocess: the engine is built once);
    stdout and stderr are kept apart."""
    from typer.testing import CliRunner

    from advisor.cli import app

    return CliRunner(env={"COLUMNS": str(columns), "NO_COLOR": "1"}).invoke(app, [str(a) for a in args])


def advisor(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``python -m advisor ARGS`` in a subprocess, without colour, 100 columns wide."""
    return subprocess.run(
        [sys.executable, "-m", "advisor", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": os.environ.get("PATH", ""), "NO_COLOR": "1", "COLUMNS": "100"},
    )


def terminal_env(columns: int = 80) -> dict[str, str]:
    """Return the environment of the program in a pseudo-terminal, ``columns`` wide and 40 rows tall."""
    return {
        **os.environ,
        "TERM": "xterm",
        "NO_COLOR": "1",
        "COLUMNS": str(columns),
        "LINES": "40",
        "PAGER": "cat",
        "PROMPT_TOOLKIT_NO_CPR": "1",  # the pseudo-terminal does not answer cursor-position requests
        "PYTHONPATH": str(ROOT),
    }


ENTER = "\r"
READY = r"\x1b\[\?2004h"  # prompt_toolkit turns on bracketed paste once its prompt line is up
MORE = r"more line\(s\): Enter to go on"  # a screen taller than the terminal, paged


def ctrl_c_heard() -> None:
    """Let a child program hear Ctrl-C as one started at a terminal does (a ``preexec_fn``). A suite
    started as a background job (``.ci/run &``) inherits SIGINT ignored, and Python then leaves it
    ignored, so a Ctrl-C typed at a line prompt (the terminal sends SIGINT) would go unheard."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def children(pid: int | None = None, *, zombies: bool = True) -> list[int]:
    """Return the processes whose parent is ``pid`` (this process by default), zombies too unless
    ``zombies`` is false (Linux: read from /proc)."""
    parent = os.getpid() if pid is None else pid
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent and (zombies or fields[0] != "Z"):
                found.append(int(entry.name))
    return found


class Terminal:
    """The real ``advisor ARGS`` in a pseudo-terminal, 40 rows tall, without colour.

    ``question`` matches the heading of a fact question (for ``answer_until``).
    """

    def __init__(
        self,
        cwd: Path,
        *args: str,
        columns: int = 80,
        timeout: int = 30,
        question: str = r"Question \d+ ",
    ):
        import pexpect  # a development dependency: only the pseudo-terminal tests need it

        self.question = question
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "advisor", *args],
            cwd=str(cwd),
            env=terminal_env(columns),
            dimensions=(40, columns),
            encoding="utf-8",
            timeout=timeout,
            preexec_fn=ctrl_c_heard,
        )
        self.log = io.StringIO()
        self.child.logfile_read = self.log

    def wait(self, pattern: str) -> None:
        """Wait until a pattern appears on the screen."""
        self.child.expect(pattern)

    def menu(self, pattern: str, typed: str) -> None:
        """Wait for a choice whose question matches (paging through long screens); then type a line."""
        while self.child.expect([pattern, MORE]) == 1:
            self.child.sendline("")
        self.child.expect(READY)
        self.child.send(typed + ENTER)

    def line(self, pattern: str, text: str) -> None:
        """Wait for a line prompt, then type a line."""
        self.child.expect(pattern)
        self.child.sendline(text)

    def names(self, *parties: str) -> None:
        """Type the parties' names at the name prompts, then Enter for no more."""
        for i, party in enumerate([*parties, ""], 1):
            self.line(("First party's name", "Second party's name")[i - 1] if i < 3 else f"Party {i}", party)

    def key(self, typed: str) -> None:
        """Wait until the prompt line is up, then type (a control key, or a line ended with ENTER)."""
        self.child.expect(READY)
        self.child.send(typed)

    def answer_until(self, pattern: str, typed: str = "1") -> int:
        """Answer every question with ``typed`` (the first value) until a pattern appears; return how many."""
        count = 0
        while self.child.expect([self.question, pattern]) == 0:
            self.child.expect(READY)
            self.child.send(typed + ENTER)
            count += 1
        return count

    def finish(self) -> int:
        """Wait for the program to end and return its exit status."""
        import pexpect

        self.child.expect(pexpect.EOF)
        self.child.close()
        return int(self.child.exitstatus)

    @property
    def screen(self) -> str:
        """Return everything shown, without terminal control sequences."""
        text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", self.log.getvalue())
        return " ".join(text.replace("\r", "").split())


class Balance(HTMLParser):
    """Checks that every element opened is closed, in order."""

    VOID = frozenset({"meta", "br", "hr", "img", "link", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, tag
