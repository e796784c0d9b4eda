"""Scenario packs: a folder of scenarios and a ``pack.yaml``, read once into checked, typed objects.

A scenario is a brief for students (no coded facts, no outcome), the reference
coding with a justification for each fact, what actually happened, a debrief and
two or three discussion questions. It is written in YAML, or in Markdown whose
YAML front matter holds everything but the brief (the Markdown body). Loading
checks every file the way case files are checked: each problem names the file,
the line and the field, and every problem in the pack is reported at once.

The typed objects are in ``advisor.exercise.model``, the files' shapes in
``advisor.exercise.schema``, and the students' copy in ``advisor.exercise.students``.
"""

from __future__ import annotations

import os
import re
from difflib import get_close_matches
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from advisor.documents import DocumentError, read_document
from advisor.exercise.model import Pack, PackError, Scenario
from advisor.exercise.schema import PackFile, ReferenceFact, ScenarioFile, explain, scenario_document
from advisor.facts import ASKED_FACTS, FACT_NAMES, FactValue, scales

PACK_FILE = "pack.yaml"
SCENARIO_SUFFIXES = (".yaml", ".yml", ".md")


def default_pack_directory() -> Path:
    """Return the course pack shipped with the advisor (installed copy or source tree)."""
    installed = Path(str(resources.files("advisor"))) / "_exercises" / "course"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent.parent / "exercises" / "course"


def load_pack(directory: Path | None = None) -> Pack:
    """Read and check a pack folder (the shipped course pack by default); raise PackError."""
    return _load((directory or default_pack_directory()).resolve())


@cache
def _load(directory: Path) -> Pack:
    if not directory.is_dir():
        raise PackError([f"{directory}: " + ("not a folder" if directory.exists() else "no such folder")])
    problems: list[str] = []
    head = _read_pack_file(directory / PACK_FILE, problems)
    scenarios: dict[str, Scenario] = {}
    files = sorted(p for p in directory.iterdir() if p.suffix in SCENARIO_SUFFIXES and p.name != PACK_FILE)
    for path in files:
        scenario = read_scenario(path, problems, for_students=bool(head and head.for_students))
        if scenario is None:
            continue
        if scenario.id in scenarios:
            problems.append(f"{path}: id: {scenario.id!r} is also the id of {scenarios[scenario.id].file}")
            continue
        scenarios[scenario.id] = scenario
    if not files:
        problems.append(f"{directory}: holds no scenario files (*.yaml, *.yml, *.md)")
    if problems or head is None:
        raise PackError(problems)
    ordered = dict(sorted(scenarios.items(), key=lambda item: (item[1].year, item[0])))
    return Pack(
        id=head.id,
        title=head.title,
        version=str(head.version),
        rubric=head.rubric,
        scenarios=ordered,
        directory=directory,
        for_students=head.for_students,
        description=head.description,
    )


def _read_pack_file(path: Path, problems: list[str]) -> PackFile | None:
    """Read ``pack.yaml``, adding its problems to the list."""
    if not os.path.lexists(path):  # a folder or a FIFO by that name is named as such when read
        problems.append(f"{path}: missing; a pack needs a pack.yaml with id, title and version")
        return None
    try:
        document = read_document(path)
        data = document.data
        unquoted = isinstance(data, dict) and isinstance(data.get("version"), float)
        if unquoted:  # said here, in the words typed: YAML reads 2026.10 as 2026.1
            line = document.line_of(("version",))
            written = _as_written(path, line, "version") or str(data["version"])
            problems.append(
                f'{path}: line {line}: version: write the version in quotes, "{written}": unquoted, '
                f"YAML reads it as the number {data['version']}"
            )
            data = {**data, "version": written}
        head = PackFile.model_validate(data)
        return None if unquoted else head
    except DocumentError as exc:
        problems.append(f"{path}: {exc}")
    except ValidationError as exc:
        problems += [f"{path}: {m}" for m in explain(exc, document)]
    return None


def _as_written(path: Path, line: int | None, key: str) -> str | None:
    """Return the value of ``key:`` on a line of a file as typed, or None if it cannot be found."""
    try:
        text = path.read_text(encoding="utf-8-sig").splitlines()[(line or 0) - 1]
    except (OSError, UnicodeError, IndexError):
        return None
    found = re.match(rf"\s*{key}\s*:\s*([^\s#]+)", text)
    return found.group(1) if found else None


def read_scenario(path: Path, problems: list[str], *, for_students: bool = False) -> Scenario | None:
    """Read and check one scenario file, adding its problems to the list; return it if it is valid."""
    found: list[str] = []
    try:
        document = scenario_document(path)
    except DocumentError as exc:
        problems.append(f"{path}: {exc}")
        return None
    if not isinstance(document.data, dict):
        problems.append(f"{path}: a scenario is a mapping of fields (id, title, parties, year, brief, ...)")
        return None

    def problem(where: tuple[str | int, ...], message: str) -> None:
        line = document.line_of(where)
        found.append(
            f"{path}: " + (f"line {line}: " if line else "") + ".".join(map(str, where)) + f": {message}"
        )

    try:
        raw = ScenarioFile.model_validate(document.data)
    except ValidationError as exc:
        found += [f"{path}: {m}" for m in explain(exc, document)]
        given = document.data.get("reference")
        if (
            not for_students
            and isinstance(given, dict)
            and all(e["loc"][:1] != ("reference",) for e in exc.errors())
        ):
            # the reference is well formed: its values are checked too, so that one pass finds every problem
            _check_reference({k: ReferenceFact.model_validate(v) for k, v in given.items()}, problem)
        problems += sorted(found, key=_line)
        return None

    reference: dict[str, FactValue] = {}
    if for_students:  # the questions and an arrangement's sources can give the answer away too
        for key in ("reference", "actual", "debrief", "case", "questions", "sources"):
            if getattr(raw, key):
                problem((key,), "a students' copy of a pack must not hold it")
    else:
        for key in ("reference", "actual", "debrief"):
            if getattr(raw, key) is None:
                problem((key,), "missing; an instructor's pack needs it in every scenario")
        if not raw.sources:
            problem(("sources",), "missing; an instructor's pack gives one or more in every scenario")
        if not 2 <= len(raw.questions) <= 3:
            problem(("questions",), f"{len(raw.questions)} given; write two or three discussion questions")
        reference = _check_reference(raw.reference or {}, problem)
    for name in ASKED_FACTS:  # standing_commitment too: the interview asks it of a group
        if re.search(rf"\b{name}\b", raw.brief):
            problem(("brief",), f"names the fact {name}; a brief describes the situation, never its coding")
    problems += sorted(found, key=_line)
    if found:
        return None
    return Scenario(
        id=raw.id or path.stem,
        title=raw.title,
        parties=tuple(raw.parties),
        year=raw.year,
        brief=raw.brief.strip(),
        sources=tuple(raw.sources),
        file=str(path),
        questions=tuple(raw.questions),
        reference={name: reference[name] for name in ASKED_FACTS if name in reference},
        why={name: raw.reference[name].why.strip() for name in ASKED_FACTS if name in raw.reference}
        if raw.reference and reference
        else {},
        actual=raw.actual,
        debrief=raw.debrief.strip() if raw.debrief else None,
        case=raw.case,
    )


def _line(problem: str) -> int:
    """Return the line a problem names (0 for none), to list a file's problems from its top."""
    found = re.search(r": line (\d+)", problem)
    return int(found.group(1)) if found else 0


def _check_reference(reference: dict[str, ReferenceFact], problem: Any) -> dict[str, FactValue]:
    """Check a reference coding names every fact once, each with a value on its scale."""
    table = scales()
    checked: dict[str, FactValue] = {}
    missing = [n for n in FACT_NAMES if n not in reference]
    for name, entry in reference.items():
        if name not in ASKED_FACTS and name in table:  # grouping: not coded, but read off the parties
            problem(("reference", name), "is read off the scenario's parties; leave it out")
        elif name not in table:
            close = get_close_matches(name, [*missing, *ASKED_FACTS], n=1, cutoff=0.75)
            if close and close[0] in missing:  # the misspelling and the fact it stands for: one problem
                missing.remove(close[0])
                problem(
                    ("reference", name), f"unknown fact; did you mean {close[0]}? ({close[0]} is missing)"
                )
            else:
                guess = f"did you mean {close[0]}? " if close else ""
                problem(("reference", name), f"unknown fact; {guess}known facts are {', '.join(ASKED_FACTS)}")
        elif entry.value not in table[name].values or type(entry.value) is not type(table[name].values[0]):
            problem(("reference", name, "value"), f"{entry.value!r} is not one of {table[name].allowed()}")
        else:
            checked[name] = entry.value
    if missing:
        problem(("reference",), f"missing {', '.join(missing)}; the reference codes every required fact")
    return checked
