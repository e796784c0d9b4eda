"""A consultation's state -- the parties and the answers so far -- and the files it is kept in.

Two files come out of a consultation. A *resume file* holds whatever has been
typed, including answers given as "unknown", so that ``advisor ask --resume``
can continue; a *case file* holds all thirteen facts in the format of FACTS.md,
so that ``advisor advise`` and ``advisor evaluate`` accept it. Both are written
atomically: a temporary file in the same directory, flushed to disk, then renamed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from advisor.documents import DocumentError, read_document
from advisor.facts import FACT_NAMES, FactValue, check_known
from advisor.output import write_atomically as write_atomically  # kept importable from here

RESUME_FORMAT = "advisor-ask-resume/1"
RESUME_NAME = "advisor-ask.resume.yaml"


class SessionFileError(ValueError):
    """A resume file that cannot be used; the message names the file and the problem."""


@dataclass
class Session:
    """The parties and the answers so far, with what to offer as defaults."""

    parties: list[str] = field(default_factory=list)
    answers: dict[str, FactValue] = field(default_factory=dict)  # answered with a value
    unknown: list[str] = field(default_factory=list)  # answered "unknown"
    history: list[str] = field(default_factory=list)  # facts in the order answered, for "back"
    suggested: dict[str, FactValue] = field(default_factory=dict)  # pre-filled or taken-back answers
    suggested_parties: list[str] = field(default_factory=list)
    save: Path | None = None  # where to write the case file at the end
    resume_path: Path | None = None  # the resume file this session continues
    rules: str | None = None  # the digest of the knowledge base the answers were given under

    def answered(self, fact: str) -> bool:
        """Return whether a fact has been answered, with a value or as unknown."""
        return fact in self.answers or fact in self.unknown

    def answer(self, fact: str, value: FactValue | None) -> None:
        """Record an answer (None for unknown), making it the latest one in the history."""
        self.answers.pop(fact, None)
        if fact in self.unknown:
            self.unknown.remove(fact)
        if value is None:
            self.unknown.append(fact)
        else:
            self.answers[fact] = check_known({fact: value})[fact]
        self.suggested.pop(fact, None)
        if fact in self.history:
            self.history.remove(fact)
        self.history.append(fact)

    def take_back(self) -> str | None:
        """Withdraw the latest answer, keeping it as the default; return its fact, or None if none."""
        if not self.history:
            return None
        fact = self.history.pop()
        if fact in self.answers:
            self.suggested[fact] = self.answers.pop(fact)
        elif fact in self.unknown:
            self.unknown.remove(fact)
        return fact

    def take_back_parties(self) -> None:
        """Withdraw the parties' names, keeping them as the defaults."""
        self.suggested_parties, self.parties = self.parties or self.suggested_parties, []

    def default(self, fact: str) -> FactValue | None:
        """Return the value to offer first for a fact: its answer, else its pre-filled value."""
        return self.answers.get(fact, self.suggested.get(fact))

    def facts(self) -> dict[str, FactValue]:
        """Return what the engine is given: the answers, and pre-filled values of facts not asked."""
        given = {**self.suggested, **self.answers}
        return {name: given[name] for name in FACT_NAMES if name in given and name not in self.unknown}

    def missing(self) -> list[str]:
        """Return the facts a case file would lack: unknown ones and skipped ones with no value."""
        facts = self.facts()
        return [name for name in FACT_NAMES if name not in facts]

    def is_empty(self) -> bool:
        """Return whether nothing at all has been typed or pre-filled."""
        return not (self.parties or self.answers or self.unknown or self.suggested or self.suggested_parties)

    @classmethod
    def from_case(cls, facts: dict[str, FactValue], parties: list[str]) -> Session:
        """Start a session whose defaults are a case's facts and parties."""
        return cls(suggested=check_known(facts), suggested_parties=[clean_name(p) for p in parties])


# --- resume files ------------------------------------------------------------------------


class _ResumeFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    format: Literal["advisor-ask-resume/1"]
    parties: list[str] = []
    answers: dict[str, str | bool] = {}
    unknown: list[str] = []
    suggested: dict[str, str | bool] = {}
    suggested_parties: list[str] = []
    save: str | None = None
    rules: str | None = None  # the knowledge base's digest (advisor.rulebase.digest)


def resume_data(session: Session) -> dict[str, Any]:
    """Return the content of a resume file for a session (answers in the order given)."""
    data: dict[str, Any] = {
        "format": RESUME_FORMAT,
        "parties": list(session.parties),
        "answers": {f: session.answers[f] for f in session.history if f in session.answers},
        "unknown": [f for f in session.history if f in session.unknown],
    }
    data["answers"].update({f: v for f, v in session.answers.items() if f not in data["answers"]})
    data["unknown"] += [f for f in session.unknown if f not in data["unknown"]]
    if session.suggested:
        data["suggested"] = dict(session.suggested)
    if session.suggested_parties:
        data["suggested_parties"] = list(session.suggested_parties)
    if session.save is not None:
        data["save"] = str(session.save)
    if session.rules is not None:
        data["rules"] = session.rules
    return data


def save_resume(session: Session, path: Path) -> None:
    """Write a session's resume file atomically."""
    header = (
        "# An unfinished `advisor ask` consultation: the answers typed so far.\n"
        f"# Continue it with: advisor ask --resume {path.name}\n"
    )
    write_atomically(path, header + _dump(resume_data(session)))


def read_resume(path: Path) -> Session:
    """Read a resume file back into a session, or raise SessionFileError saying what is wrong."""
    try:
        data = read_document(path).data
    except DocumentError as exc:
        raise SessionFileError(f"{path}: {exc}") from None
    if isinstance(data, dict) and "facts" in data:
        raise SessionFileError(f"{path}: is a case file, not a resume file; use --answers {path}")
    if not isinstance(data, dict):
        raise SessionFileError(
            f"{path}: not a resume file of advisor ask: it holds a {_kind(data)}, "
            f"not a mapping starting with 'format: {RESUME_FORMAT}'"
        )
    try:
        raw = _ResumeFile.model_validate(data)
        answers, suggested = check_known(raw.answers), check_known(raw.suggested)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"] if p not in ("str", "bool")) or "(file)"
        reason = "the value is empty" if first.get("input", "") is None else first["msg"]
        raise SessionFileError(f"{path}: not a resume file of advisor ask: {where}: {reason}") from None
    except ValueError as exc:
        raise SessionFileError(f"{path}: {exc}") from None
    for name in raw.unknown:
        if name not in FACT_NAMES or name in answers:
            raise SessionFileError(f"{path}: unknown: {name!r} is not an unanswered fact")
    return Session(
        parties=[clean_name(p) for p in raw.parties],
        answers=answers,
        unknown=list(raw.unknown),
        history=[*answers, *raw.unknown],
        suggested=suggested,
        suggested_parties=[clean_name(p) for p in raw.suggested_parties],
        save=Path(raw.save) if raw.save else None,
        resume_path=path,
        rules=raw.rules,
    )


def _kind(data: Any) -> str:
    """Name the kind of a plain value read from a file."""
    names = {str: "string", list: "list", bool: "boolean", int: "number", float: "number"}
    return names.get(type(data), type(data).__name__)


def unused_resume_path(directory: Path) -> Path:
    """Return a resume file name in a directory that does not hold a file of that name yet."""
    candidate, number = directory / RESUME_NAME, 1
    while candidate.exists():
        number += 1
        candidate = directory / RESUME_NAME.replace(".resume", f"-{number}.resume")
    return candidate


# --- case files ----------------------------------------------------------------------------


def case_data(session: Session, notes: str | None = None) -> dict[str, Any]:
    """Return a case (FACTS.md format) for a session whose facts are complete; raise ValueError if not."""
    from advisor.cases import Case

    missing = session.missing()
    if missing:
        raise ValueError(f"a case file needs every fact; missing: {', '.join(missing)}")
    data: dict[str, Any] = {"parties": list(session.parties), "facts": session.facts()}
    if notes:
        data["notes"] = notes
    Case.model_validate(data)  # the file written must be one the other commands accept
    return data


def save_case(session: Session, path: Path, notes: str | None = None) -> None:
    """Write a session's answers as a case file, atomically; raise ValueError if facts are missing."""
    header = f"# Answers from an `advisor ask` consultation. Check it with: advisor advise {path.name}\n"
    write_atomically(path, header + _dump(case_data(session, notes)))


def case_file_name(parties: list[str]) -> str:
    """Suggest a case file name from the parties' names."""
    slug = "-".join(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parties).strip("-")
    return f"{slug or 'advisor-case'}.yaml"


# --- helpers -------------------------------------------------------------------------------


def clean_name(text: str) -> str:
    """Return a party's name without control characters or surrounding blanks."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc").strip()


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
