"""A corpus of hostile inputs and faults, generated into a folder and run against the real command.

Each ``Kind`` writes what it needs into its own folder and names the command to
run there, with its environment and the exit statuses it may give. ``run`` runs
one kind in a subprocess under a timeout and records what happened; ``mixed_batch``
puts every bad case file beside good ones and evaluates them in one batch.

    python tests/hostile/corpus.py        # run the whole corpus and print the table
"""

from __future__ import annotations

import copy
import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60  # seconds; a run that takes longer is a hang
CRASH = 70  # the advisor's "internal error" status
# A valid case in the format of FACTS.md, written here so that the corpus does not depend on the library.
GOOD: dict[str, Any] = {
    "id": "us-india-2005",
    "title": "India-United States strategic partnership",
    "parties": ["United States", "India"],
    "year": 2005,
    "facts": {
        "threat_level": "moderate",
        "shared_adversary": "partial",
        "power_asymmetry": "high",
        "ratification_cost": "high",
        "existing_ties": "partnership",
        "economic_interdependence": "medium",
        "value_alignment": "high",
        "governance_alignment": "medium",
        "entrapment_risk": "moderate",
        "rival_ties": True,
        "autonomy_tradition": True,
        "issue_scope": "multi_sector",
        "nonstate_actors_essential": False,
    },
}
LEVELS = ["none", "low", "moderate", "high", "existential"]


def case(**changes: object) -> dict[str, object]:
    """Return a good case (no expectation, so that any recommendation passes) with some keys changed."""
    data = copy.deepcopy(GOOD)
    data.update(changes)
    return data


def good_cases(count: int, prefix: str = "good") -> list[dict[str, object]]:
    """Return distinct valid cases, their facts varied."""
    scopes = ["security", "multi_sector", "transnational"]
    return [
        case(
            id=f"{prefix}-{i}",
            facts=facts(
                threat_level=LEVELS[i % 5], issue_scope=scopes[i // 5 % 3], rival_ties=bool(i // 15 % 2)
            ),
        )
        for i in range(count)
    ]


def write_cases(folder: Path, count: int, prefix: str = "good") -> set[str]:
    """Write ``count`` good case files into a folder; return their ids."""
    folder.mkdir(parents=True, exist_ok=True)
    for data in good_cases(count, prefix):
        (folder / f"{data['id']}.yaml").write_text(as_yaml(data), encoding="utf-8")
    return {f"{prefix}-{i}" for i in range(count)}


def facts(**changes: object) -> dict[str, object]:
    """Return the good case's facts with some changed."""
    return {**GOOD["facts"], **changes}


def as_yaml(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


Maker = Callable[[Path], list[str]]  # writes into a folder, returns the command's arguments


@dataclass(frozen=True)
class Kind:
    """One kind of bad input or fault: what to write, what to run, what statuses are right."""

    name: str
    make: Maker
    expect: frozenset[int] = frozenset({2})
    env: dict[str, str] = field(default_factory=dict)
    stdout: str = "pipe"  # pipe | full | closed
    batch: bool = False  # a bad case file that also goes into the mixed batch
    files: tuple[str, ...] = ()  # files the command writes in its folder, scanned like its output


@dataclass
class Outcome:
    """What one run of a kind did."""

    kind: Kind
    status: int | None  # None: it hung
    stdout: bytes
    stderr: bytes
    written: dict[str, bytes] = field(default_factory=dict)  # the kind's files, as written

    @property
    def problems(self) -> list[str]:
        """Return what went wrong: a hang, a crash, a traceback, an unexpected status, raw escapes."""
        found = []
        if self.status is None:
            found.append(f"hung (no exit within {TIMEOUT} s)")
        elif self.status < 0:
            found.append(f"killed by signal {-self.status}")
        elif self.status == CRASH:
            found.append("crashed (exit 70)")
        elif self.status not in self.kind.expect:
            found.append(f"exit {self.status}, expected {sorted(self.kind.expect)}")
        if b"Traceback" in self.stdout + self.stderr:
            found.append("printed a traceback")
        found += [f"did not write {name}" for name in self.kind.files if name not in self.written]
        found += [f"raw {what} on {name}" for name, data in self.streams() for what in raw_controls(data)]
        return found

    def streams(self) -> list[tuple[str, bytes]]:
        """Return what the run wrote: its two streams, then each file it was to write."""
        return [("standard output", self.stdout), ("standard error", self.stderr), *self.written.items()]


BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def raw_controls(data: bytes) -> list[str]:
    """Return the raw terminal controls in output: ESC, BEL, C1 bytes, C1 characters (U+0080-U+009F)
    and bidirectional overrides."""
    found = []
    if b"\x1b" in data:
        found.append("ESC")
    if b"\x07" in data:
        found.append("BEL")
    text = data.decode("utf-8", errors="surrogateescape")
    if any("\x80" <= ch <= "\x9f" for ch in text):
        found.append("C1 character")
    if any("\udc80" <= ch <= "\udc9f" for ch in text):
        found.append("C1 byte")
    if any(ch in BIDI for ch in text):
        found.append("bidi control")
    return found


# --- writing inputs ------------------------------------------------------------------------


def text_file(name: str, content: str | bytes, *, command: str = "advise") -> Maker:
    """Return a maker that writes one file and runs a command on it."""

    def make(folder: Path) -> list[str]:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", errors="surrogatepass")
        return [command, str(path)]

    return make


def alias_bomb() -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def in_folder(build: Callable[[Path], None], *, command: Sequence[str] = ("evaluate",)) -> Maker:
    """Return a maker that builds a folder of entries and runs a command on the folder."""

    def make(folder: Path) -> list[str]:
        target = folder / "dir"
        target.mkdir()
        (target / "good.yaml").write_text(as_yaml(case(id="good-in-dir")), encoding="utf-8")
        build(target)
        return [*command, str(target)]

    return make


def fifo(path: Path) -> None:
    os.mkfifo(path)


def rules_copy(folder: Path, extra_name: str, extra: str | None) -> Path:
    """Copy the bundled rules into a folder, with one more file (or a FIFO when extra is None)."""
    rules = folder / "rules"
    rules.mkdir()
    for source in sorted((ROOT / "rules").glob("*.yaml")):
        (rules / source.name).write_bytes(source.read_bytes())
    if extra is None:
        os.mkfifo(rules / extra_name)
    else:
        (rules / extra_name).write_text(extra, encoding="utf-8")
    return rules


def with_rules(extra_name: str, extra: str | None, *args: str) -> Maker:
    """A maker for a command with ``--rules``: the bundled rules and one more file ({case}: a good case)."""

    def make(folder: Path) -> list[str]:
        rules = rules_copy(folder, extra_name, extra)
        good = folder / "good.yaml"
        good.write_text(as_yaml(case(id="good")), encoding="utf-8")
        return [*(a.replace("{case}", str(good)) for a in args), "--rules", str(rules)]

    return make


def rule_file(*, title: str = "An extra rule", when: object = None, rationale: object = "Extra.") -> str:
    """A rule file with one extra signal rule (a fresh id, an existing signal), parts of it changed."""
    rule = {
        "id": "ZZZ-01",
        "title": title,
        "when": when or {"facts": {"threat_level": "high"}},
        "then": {"signal": "balancing_need"},
        "rationale": rationale,
        "source": {"cite": "a test", "passage": "a test"},
    }
    return as_yaml({"rules": [rule]})


def good_case(**changes: object) -> Maker:
    """A maker for a valid case with hostile text in it: it must run, with its output escaped."""
    return text_file("hostile-text.yaml", as_yaml(case(**changes)))


def plain(args: Sequence[str], files: dict[str, str] | None = None) -> Maker:
    """A maker for a command line: {dir} is the kind's folder, {good} a good case, {cases} a folder of 12."""

    def make(folder: Path) -> list[str]:
        for name, content in (files or {}).items():
            (folder / name).write_text(content, encoding="utf-8")
        places = {
            "{dir}": folder,
            "{good}": folder / "input" / "good.yaml",
            "{cases}": folder / "input" / "cases",
        }
        if any("{good}" in a or "{cases}" in a for a in args):
            write_cases(folder / "input" / "cases", 12)
            (folder / "input" / "good.yaml").write_text(as_yaml(case()), encoding="utf-8")
        line = list(args)
        for key, value in places.items():
            line = [a.replace(key, str(value)) for a in line]
        return line

    return make


def junit_unwritable(folder: Path) -> list[str]:
    good = folder / "good.yaml"
    good.write_text(as_yaml(case(id="good")), encoding="utf-8")
    return ["evaluate", str(good), "--json", "--junit", str(folder / "missing" / "out.xml")]


def socket_in_folder(target: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(target / "sock.yaml"))
    server.close()


ESC_TITLE = "Clear\x1b[2J\x1b[Hscreen"
FORGED = "T\n Accuracy: 41/41 (100%)"
# Terminal controls a file that is later shown with cat would obey: clear the screen, write the
# clipboard (OSC 52), ring the bell, reverse the text that follows.
CAT_TITLE = "Title\x1b[2J\x1b]52;c;aGk=\x07\u202eexe.fdp\x9b31m"
HOSTILE_CASE = case(
    id="case\x1b[2J\u202e",
    title=CAT_TITLE,
    parties=["A\x07\x1b]0;pwned\x07", "B\u202eC"],
    notes="notes\x1b[2J\u202e",
    sources=["https://example.org/\x1b[2J", "\u202esource"],
)


def class_of_hostile_students(folder: Path) -> list[str]:
    """Write two submissions whose student names hold terminal controls and spreadsheet formulas."""
    fixture = yaml.safe_load(
        (ROOT / "tests" / "fixtures" / "exercise" / "ada-us-india-2005.yaml").read_text()
    )
    names = ['=HYPERLINK("http://x","y")\x1b[2J', "Eve\x07\u202eevE\x1b]52;c;aGk=\x07"]
    (folder / "class").mkdir()
    for i, name in enumerate(names):
        (folder / "class" / f"s{i}.yaml").write_text(as_yaml({**fixture, "student": name}), encoding="utf-8")
    return ["exercise", "grade", str(folder / "class"), "--csv", "g.csv", "--report", "r.html"]


KINDS: list[Kind] = [
    # --- YAML structure and size
    Kind(
        "deep block nesting (40,000 '- ')",
        text_file("deep-block.yaml", "id: x\nnotes:\n" + "- " * 40_000 + "x\n"),
    ),
    Kind("deep flow nesting", text_file("deep-flow.yaml", "notes: " + "[" * 100_000 + "]" * 100_000 + "\n")),
    Kind(
        "deep indented mappings",
        text_file("deep-map.yaml", "".join(" " * i + f"k{i}:\n" for i in range(300))),
    ),
    Kind("alias bomb", text_file("bomb.yaml", alias_bomb())),
    Kind("merge key", text_file("merge.yaml", "base: &b {x: 1}\nother:\n  <<: *b\n")),
    Kind("duplicate keys", text_file("dup.yaml", as_yaml(case(id="dup")) + "id: again\n")),
    Kind("python object tag", text_file("tag.yaml", "!!python/object/apply:os.system ['true']\n")),
    Kind("python name tag", text_file("tag2.yaml", "id: !!python/name:os.system\n")),
    Kind("binary tag", text_file("bin.yaml", "id: !!binary aGVsbG8=\n")),
    Kind("set tag", text_file("set.yaml", "!!set {a, b}\n")),
    Kind("custom tag", text_file("custom.yaml", "id: !mine x\n")),
    Kind("invalid YAML syntax", text_file("syntax.yaml", "id: [unclosed\n")),
    Kind("tab indentation", text_file("tabs.yaml", "facts:\n\tthreat_level: high\n")),
    Kind("empty file", text_file("empty.yaml", "")),
    Kind("whitespace only", text_file("blank.yaml", "  \n\n")),
    Kind("only a comment", text_file("comment.yaml", "# nothing\n")),
    Kind("NUL bytes", text_file("nul.yaml", b"id: a\x00b\n")),
    Kind("Latin-1 bytes", text_file("latin1.yaml", "id: caf\xe9\n".encode("latin-1"))),
    Kind("UTF-16 with BOM", text_file("utf16.yaml", as_yaml(case(id="u16")).encode("utf-16"))),
    Kind("over the size limit (6 MB)", text_file("big.yaml", "notes: '" + "x" * 6_000_000 + "'\n")),
    Kind("bare scalar", text_file("scalar.yaml", "just text\n")),
    Kind("empty list", text_file("emptylist.yaml", "[]\n")),
    Kind("a case that is a string", text_file("strcase.yaml", as_yaml([case(id="ok-in-list"), "text"]))),
    # --- numbers and strings
    Kind(
        "5,001-digit year",
        text_file("year.yaml", as_yaml(case(id="y")).replace("year: 2005", "year: " + "9" * 5001)),
    ),
    Kind("5,001-digit negative", text_file("neg.yaml", "id: n\nyear: -" + "9" * 5001 + "\n")),
    Kind(
        "infinite float year",
        text_file("inf.yaml", as_yaml(case(id="inf")).replace("year: 2005", "year: 1e99999")),
    ),
    Kind("year as text", text_file("yeartext.yaml", as_yaml(case(id="yt", year="MMV")))),
    Kind(
        "lone surrogate in JSON", text_file("sur.json", json.dumps(case(id="sur", title="bad \ud800 title")))
    ),
    Kind("lone surrogate in YAML", text_file("sur.yaml", 'id: s\ntitle: "bad \\ud800 title"\n')),
    Kind("5,001-digit JSON number", text_file("bigint.json", '{"id": "j", "year": ' + "9" * 5001 + "}")),
    Kind("JSON deep nesting", text_file("deep.json", "[" * 100_000 + "]" * 100_000)),
    Kind("JSON syntax error", text_file("bad.json", '{"id": }')),
    Kind("JSON duplicate keys", text_file("dup.json", '{"id": "a", "id": "b"}')),
    Kind("JSON trailing comma", text_file("comma.json", '{"id": "a",}')),
    Kind(
        "JSON NaN year",
        text_file("nan.json", json.dumps(case(id="nan")).replace('"year": 2005', '"year": NaN')),
    ),
    # --- values
    Kind(
        "empty fact value", text_file("null.yaml", as_yaml(case(id="null", facts=facts(threat_level=None))))
    ),
    Kind("quoted boolean", text_file("qbool.yaml", as_yaml(case(id="qb", facts=facts(rival_ties="true"))))),
    Kind(
        "boolean for a scale", text_file("ybool.yaml", as_yaml(case(id="yb", facts=facts(threat_level=True))))
    ),
    Kind("non-string fact keys", text_file("intkey.yaml", "id: k\nfacts: {1: low, 2.5: high, null: x}\n")),
    Kind("unknown fact", text_file("unknown.yaml", as_yaml(case(id="uf", facts=facts(morale="high"))))),
    Kind("missing facts", text_file("missing.yaml", as_yaml(case(id="mf", facts={"threat_level": "high"})))),
    Kind("facts as a list", text_file("flist.yaml", as_yaml(case(id="fl", facts=["high"])))),
    Kind("unknown expected outcome", text_file("exp.yaml", as_yaml(case(id="ex", expected="empire")))),
    Kind("escape in an unknown key", text_file("esckey.yaml", as_yaml({**case(id="ek"), "\x1b[2Jkey": 1}))),
    Kind(
        "escape in a bad value",
        text_file("escval.yaml", as_yaml(case(id="ev", facts=facts(threat_level="\x1b]0;pwned\x07")))),
    ),
    Kind(
        "C1 CSI in a bad value",
        text_file("c1val.yaml", as_yaml(case(id="c1", facts=facts(issue_scope="\x9b2J")))),
    ),
    # --- hostile text in valid cases: they run, and nothing raw reaches the terminal
    Kind("escape in the id", good_case(id="id\x1b[2J\x1b[H"), frozenset({0})),
    Kind("clear-screen title", good_case(title=ESC_TITLE), frozenset({0})),
    Kind("newline forging a line", good_case(title=FORGED, id="forge\n Accuracy: 9/9"), frozenset({0})),
    Kind("OSC 52 clipboard write in parties", good_case(parties=["A", "\x1b]52;c;aGk=\x07"]), frozenset({0})),
    Kind("bidi override in the id", good_case(id="abc\u202efdp.exe"), frozenset({0})),
    Kind("C1 CSI in the title", good_case(title="x\x9b31mred"), frozenset({0})),
    Kind("rich markup in the title", good_case(title="[bold red]loud[/]"), frozenset({0})),
    Kind("10,000-character id", good_case(id="x" * 10_000), frozenset({0})),
    Kind("1,000 parties", good_case(parties=[f"P{i}" for i in range(1000)]), frozenset({0})),
    Kind(
        "escapes in the evaluate table",
        text_file("table.yaml", as_yaml(case(id="t\x1b[1A\x1b[2K", title=FORGED)), command="evaluate"),
        frozenset({0}),
        env={"COLUMNS": "200"},
    ),
    Kind(
        "escapes in the brief on stdout",
        plain(["report", "{dir}/c.yaml", "-o", "-"], {"c.yaml": as_yaml(case(title=ESC_TITLE))}),
        frozenset({0}),
    ),
    Kind(
        "escapes in a Markdown brief file",
        plain(["report", "{dir}/c.yaml", "-o", "b.md"], {"c.yaml": as_yaml(HOSTILE_CASE)}),
        frozenset({0}),
        files=("b.md",),
    ),
    Kind(
        "escapes in an HTML brief file",
        plain(["report", "{dir}/c.yaml", "-o", "b.html"], {"c.yaml": as_yaml(HOSTILE_CASE)}),
        frozenset({0}),
        files=("b.html",),
    ),
    Kind(
        "escapes in the gradebook and the HTML class report",
        class_of_hostile_students,
        frozenset({0}),
        files=("g.csv", "r.html"),
    ),
    Kind(
        "escapes in the Markdown class report",
        lambda d: [*class_of_hostile_students(d)[:-1], "r.md"],
        frozenset({0}),
        files=("g.csv", "r.md"),
    ),
    Kind(
        "escapes in explain",
        plain(["explain", "{dir}/c.yaml"], {"c.yaml": as_yaml(case(id="e\x1b[2J", title=FORGED))}),
        frozenset({0}),
    ),
    Kind("escape in an unknown rule id", plain(["rules", "show", "X\x1b[2J"])),
    Kind("escape in --set", plain(["explain", "{good}", "--set", "threat_level=\x1b[2J"])),
    Kind("escape in --why-not", plain(["explain", "{good}", "--why-not", "\x9b2J"])),
    # --- the file system
    Kind("FIFO as the case file", lambda d: (fifo(d / "f.yaml"), ["advise", str(d / "f.yaml")])[1]),
    Kind("FIFO given to evaluate", lambda d: (fifo(d / "f.yaml"), ["evaluate", str(d / "f.yaml")])[1]),
    Kind("FIFO in a directory", in_folder(lambda t: fifo(t / "f.yaml"))),
    Kind("socket in a directory", in_folder(socket_in_folder)),
    Kind("/dev/zero as the case file", plain(["advise", "/dev/zero"])),
    Kind("/dev/zero given to evaluate", plain(["evaluate", "/dev/zero"])),
    Kind("a directory given to advise", plain(["advise", "{dir}"])),
    Kind(
        "dangling link in a directory", in_folder(lambda t: (t / "gone.yaml").symlink_to(t / "nowhere.yaml"))
    ),
    Kind("link loop in a directory", in_folder(lambda t: (t / "loop.yaml").symlink_to(t / "loop.yaml"))),
    Kind(
        "link loop given to advise",
        lambda d: ((d / "l.yaml").symlink_to(d / "l.yaml"), ["advise", str(d / "l.yaml")])[1],
    ),
    Kind(
        "link loop given to evaluate",
        lambda d: ((d / "l.yaml").symlink_to(d / "l.yaml"), ["evaluate", str(d / "l.yaml")])[1],
    ),
    Kind("escape in a file name", in_folder(lambda t: (t / "\x1b[2Jx.yaml").write_text("id: [\n"))),
    Kind(
        "newline in a file name", in_folder(lambda t: (t / "a\nAccuracy: 9 of 9.yaml").write_text("id: [\n"))
    ),
    Kind(
        "non-UTF-8 file name",
        in_folder(lambda t: Path(os.fsdecode(bytes(t) + b"/caf\xe9.yaml")).write_text("id: [\n")),
    ),
    Kind(
        "non-UTF-8 name of a good file",
        in_folder(
            lambda t: Path(os.fsdecode(bytes(t) + b"/ok\x9b.yaml")).write_text(as_yaml(case(id="ok9b")))
        ),
        frozenset({0}),
    ),
    Kind("empty path to evaluate", plain(["evaluate", ""])),
    Kind("empty path to advise", plain(["advise", ""])),
    Kind("missing file", plain(["evaluate", "{dir}/nothing.yaml"])),
    Kind("glob matching nothing", plain(["evaluate", "{dir}/*.nothing"])),
    Kind("directory with no case files", plain(["evaluate", "{dir}"])),
    # --- options and the environment
    Kind(
        "--jobs beyond any integer",
        plain(["evaluate", "{cases}", "--jobs", "99999999999999999999"]),
        frozenset({0}),
    ),
    Kind("--jobs 1000", plain(["evaluate", "{cases}", "--jobs", "1000"]), frozenset({0})),
    Kind("--jobs 0", plain(["evaluate", "{cases}", "--jobs", "0"])),
    Kind("--junit path that cannot be written", junit_unwritable),
    Kind("--junit onto a device", plain(["evaluate", "{good}", "--junit", "/dev/null"])),
    Kind("report into a missing folder", plain(["report", "{good}", "-o", "{dir}/no/b.md"])),
    Kind("report onto a directory", plain(["report", "{good}", "-o", "{dir}"])),
    Kind("FIFO in the rules directory", with_rules("zz.yaml", None, "advise", "{case}")),
    Kind(
        "deep nesting in a rule file",
        with_rules("zz.yaml", "rules:\n" + "- " * 40_000 + "x\n", "advise", "{case}"),
    ),
    Kind(
        "non-string keys in a rule condition",
        with_rules(
            "zz.yaml",
            rule_file(when={"facts": {"threat_level": {1: "low", "foo": "high"}}}),
            "advise",
            "{case}",
        ),
    ),
    Kind(
        "5,001-digit number in a rule file",
        with_rules(
            "zz.yaml",
            rule_file(rationale=int("9" * 1000)).replace("9" * 1000, "9" * 5001),
            "advise",
            "{case}",
        ),
    ),
    Kind(
        "escape in a rule title",
        with_rules("zz.yaml", rule_file(title="x\x1b[2J\n forged"), "rules", "show", "ZZZ-01"),
        frozenset({0}),
    ),
    Kind("missing --rules directory", plain(["rules", "list", "--rules", "{dir}/none"])),
    Kind("COLUMNS=0", plain(["evaluate", "{cases}"]), frozenset({0}), env={"COLUMNS": "0"}),
    Kind(
        "COLUMNS=5",
        plain(["advise", "{good}"]),
        frozenset({0}),
        env={"COLUMNS": "5"},
    ),
    Kind(
        "COLUMNS=abc",
        plain(["advise", "{good}"]),
        frozenset({0}),
        env={"COLUMNS": "abc"},
    ),
    Kind(
        "C locale, no UTF-8",
        plain(["evaluate", "{cases}"]),
        frozenset({0}),
        env={"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
    ),
    Kind(
        "ASCII output, non-ASCII case",
        good_case(title="Café — “quoted” ✓", parties=["Côte d\u2019Ivoire", "日本"]),
        frozenset({0}),
        env={"PYTHONIOENCODING": "ascii"},
    ),
    Kind(
        "ASCII output, JSON",
        plain(["advise", "{good}", "--json"]),
        frozenset({0}),
        env={"PYTHONIOENCODING": "ascii"},
    ),
    Kind("standard output full", plain(["evaluate", "{cases}"]), stdout="full"),
    Kind("standard output full, JSON", plain(["evaluate", "{cases}", "--json"]), stdout="full"),
    Kind("standard output closed", plain(["advise", "{good}"]), stdout="closed"),
    Kind("ask without a terminal", plain(["ask", "--resume", "{dir}"])),
]
for _i, _kind in enumerate(KINDS):  # every bad case file also goes into the mixed batch
    if _kind.make.__qualname__.startswith("text_file") and _kind.expect == frozenset({2}):
        KINDS[_i] = Kind(
            _kind.name, _kind.make, _kind.expect, _kind.env, _kind.stdout, batch=True, files=_kind.files
        )


# --- running -------------------------------------------------------------------------------


def environment(extra: dict[str, str]) -> dict[str, str]:
    """Return a small, fixed environment for a run, with a kind's additions."""
    env = {"PATH": os.environ.get("PATH", ""), "NO_COLOR": "1", "COLUMNS": "100", "LANG": "C.UTF-8"}
    if os.environ.get("ADVISOR_CORPUS_PYTHONPATH"):  # to run the corpus against another checkout
        env["PYTHONPATH"] = os.environ["ADVISOR_CORPUS_PYTHONPATH"]
    env.update(extra)
    return env


def run(kind: Kind, folder: Path) -> Outcome:
    """Run one kind in its own folder, under the timeout, and record what happened."""
    folder.mkdir(parents=True, exist_ok=True)
    args = kind.make(folder)
    stdout: int | None = subprocess.PIPE
    handle = None
    if kind.stdout == "full":
        handle = open("/dev/full", "wb")  # noqa: SIM115  (closed below)
        stdout = handle.fileno()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "advisor", *args],
            cwd=folder,
            env=environment(kind.env),
            stdin=subprocess.DEVNULL,
            stdout=stdout if kind.stdout != "closed" else None,
            stderr=subprocess.PIPE,
            pass_fds=(),
            close_fds=True,
            preexec_fn=_close_stdout if kind.stdout == "closed" else None,
            start_new_session=True,
        )
        try:
            out, err = process.communicate(timeout=TIMEOUT)
            written = {name: (folder / name).read_bytes() for name in kind.files if (folder / name).is_file()}
            return Outcome(kind, process.returncode, out or b"", err or b"", written)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            out, err = process.communicate()
            return Outcome(kind, None, out or b"", err or b"")
    finally:
        if handle is not None:
            handle.close()


def _close_stdout() -> None:
    os.close(1)


def run_all(folder: Path, kinds: Sequence[Kind] = KINDS, workers: int = 2) -> list[Outcome]:
    """Run every kind, each in its own subfolder, a few at a time; return the outcomes in order."""
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda ik: run(ik[1], folder / f"k{ik[0]:03d}"), enumerate(kinds)))


GOOD_IN_BATCH = 250  # over 200, so that the batch runs in worker processes


def mixed_batch(folder: Path, jobs: int = 2) -> tuple[Outcome, set[str], set[str]]:
    """Evaluate every bad case file beside GOOD_IN_BATCH good ones, in one parallel batch.

    Return the run, the ids of the good cases, and the ids the JSON result holds.
    """
    batch = folder / "batch"
    batch.mkdir(parents=True)
    for i, kind in enumerate(k for k in KINDS if k.batch):
        kind.make(batch / f"bad{i:03d}")
    good = write_cases(batch / "good", GOOD_IN_BATCH)
    kind = Kind("mixed batch", plain(["evaluate", str(batch), "--json", "--jobs", str(jobs)]), frozenset({2}))
    outcome = run(kind, folder / "mixed")
    try:
        found = {r["case"] for r in json.loads(outcome.stdout)["results"]}
    except (ValueError, KeyError):
        found = set()
    return outcome, good, found


def main() -> int:
    """Run the corpus and the mixed batch in a temporary folder; print a summary; 1 if anything failed."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        outcomes = run_all(Path(tmp))
        batch, good, found = mixed_batch(Path(tmp))
    failed = [o for o in outcomes if o.problems]
    for outcome in failed:
        print(f"FAIL {outcome.kind.name}: {'; '.join(outcome.problems)}")
    hung = sum(o.status is None for o in outcomes)
    crashed = sum(o.status is not None and (o.status < 0 or o.status == CRASH) for o in outcomes)
    tracebacks = sum(b"Traceback" in o.stdout + o.stderr for o in outcomes)
    raw = sum(bool(raw_controls(o.stdout + o.stderr)) for o in outcomes)
    print(
        f"kinds: {len(outcomes)}, failed: {len(failed)}, hangs: {hung}, crashes: {crashed}, "
        f"tracebacks: {tracebacks}, outputs with raw controls: {raw}"
    )
    print(f"mixed batch: {len(good)} good cases, {len(good - found)} lost; exit {batch.status}")
    return 1 if failed or good - found or batch.problems else 0


if __name__ == "__main__":
    sys.exit(main())
