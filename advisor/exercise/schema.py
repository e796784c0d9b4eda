"""The shape of ``pack.yaml`` and of scenario files as written, and pydantic's findings as lines.

A scenario file is YAML, or Markdown whose YAML front matter holds everything but
the brief (the Markdown body).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError, field_validator

from advisor.documents import Document, DocumentError, parse_document, read_document
from advisor.exercise.model import Rubric
from advisor.outcomes import OUTCOME_IDS, OutcomeId
from advisor.parties import check_parties
from advisor.strict import StrictModel, shaped

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


Id = Annotated[str, shaped(ID_PATTERN, "an id is lower-case letters, digits and hyphens (us-japan-1960)")]


class PackFile(StrictModel):
    """``pack.yaml``: the pack's identity, version and rubric."""

    id: Id
    title: str
    version: str | int
    description: str | None = None
    for_students: bool = False
    rubric: Rubric = Field(default_factory=Rubric)

    @field_validator("version", mode="before")
    @classmethod
    def _quoted(cls, value: object) -> object:
        """Refuse a version YAML read as a decimal number (2026.10 would be 2026.1), in one line."""
        if isinstance(value, float):
            raise ValueError(f'write the version in quotes, "{value}": unquoted, YAML reads it as a number')
        return value


class ReferenceFact(StrictModel):
    """One fact of a reference coding: its value and why."""

    value: str | bool
    why: str = Field(min_length=1)


class ScenarioFile(StrictModel):
    """One scenario file (a Markdown one with its body as ``brief``)."""

    id: Id | None = None
    title: str = Field(min_length=1)
    parties: list[str] = Field(min_length=2)
    year: int
    case: str | None = None
    brief: str = Field(min_length=1)
    sources: list[str] = Field(default_factory=list)  # one or more in an instructor's pack
    reference: dict[str, ReferenceFact] | None = None
    actual: OutcomeId | None = None
    debrief: str | None = None
    questions: list[str] = Field(default_factory=list)

    @field_validator("parties")
    @classmethod
    def _each_once(cls, parties: list[str]) -> list[str]:
        """Refuse a blank name or one named twice, as a case file does: three names of two parties
        would make a pair a group (grouping is read off the parties), and change the advice."""
        return check_parties(parties)


def scenario_document(path: Path) -> Document:
    """Read a scenario file: YAML, or Markdown whose front matter is YAML and whose body is the brief."""
    if path.suffix != ".md":
        return read_document(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(f"cannot read the file ({exc})") from None
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise DocumentError("a Markdown scenario starts with '---' and its YAML front matter", 1)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise DocumentError("the front matter has no closing '---'", 1)
    try:
        front = parse_document("".join(lines[1:end]))
    except DocumentError as exc:  # its lines count from the front matter; the file's from one above
        message = re.sub(r"^line \d+(, column \d+)?: ", "", str(exc))
        raise DocumentError(message, exc.line + 1 if exc.line else None) from None
    if not isinstance(front.data, dict):
        raise DocumentError("the front matter must be a mapping of fields", 2)
    if "brief" in front.data:
        raise DocumentError("brief: in a Markdown scenario the brief is the text after the front matter", 2)
    front.data["brief"] = "".join(lines[end + 1 :])
    lines_of = {key: line + 1 for key, line in front.lines.items()}
    lines_of[("brief",)] = end + 2
    return Document(front.data, lines_of)


def explain(exc: ValidationError, document: Document) -> list[str]:
    """Turn pydantic's findings into ``line N: field: what is wrong`` lines."""
    messages = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        line = document.line_of(loc)
        where = (f"line {line}: " if line else "") + (".".join(str(p) for p in loc) or "(file)")
        messages.append(f"{where}: {_reason(error, loc)}")
    return messages


def _reason(error: Any, loc: tuple[Any, ...]) -> str:
    kind = error["type"]
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        return "unknown key"
    if loc and loc[0] == "actual":
        return f"{error.get('input')!r} is not an outcome id; use one of {', '.join(OUTCOME_IDS)}"
    if kind == "value_error":  # a validator's own words
        return str(error["ctx"]["error"])
    return str(error["msg"]).lower()
