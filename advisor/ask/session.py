"""A consultation's state -- the parties and the answers so far -- and the files it is kept in.

Two files come out of a consultation. A *resume file* holds whatever has been
typed, including answers given as "unknown", in the order given, so that
``advisor ask --resume`` can continue (and go back) exactly where it stopped; its
name ends in ``.advisor-resume.yaml``, which ``.gitignore`` leaves out. A *case
file* holds the thirteen facts in the case format (an unknown one written as
``unknown``), with the id, title, year, expectation, notes and sources of the case
it was pre-filled from, so that ``advisor advise`` and ``advisor evaluate`` accept
it. Both are written atomically: a temporary file in the same directory, flushed
to disk, then renamed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from advisor.facts import FactValue

# The first question (the parties' names) is asked before pydantic, YAML and the fact
# model are loaded: this module imports them where they are used, not at the top.
from advisor.output import write_atomically as write_atomically  # light; kept importable from here

RESUME_FORMAT = "advisor-ask-resume/1"
RESUME_SUFFIX = ".advisor-resume.yaml"
RESUME_NAME = f"consultation{RESUME_SUFFIX}"
ABOUT_KEYS = ("id", "title", "year", "expected", "notes", "sources")  # what a case says besides facts


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
    about: dict[str, Any] = field(default_factory=dict)  # the pre-filling case's id, title, year, ...

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
            from advisor.facts import check_known

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
        from advisor.facts import FACT_NAMES

        given = {**self.suggested, **self.answers}
        return {name: given[name] for name in FACT_NAMES if name in given and name not in self.unknown}

    def engine_facts(self) -> dict[str, FactValue]:
        """Return the facts with the derived ones the advisor reads off the parties (``grouping``)."""
        from advisor.facts import grouping_of

        facts: dict[str, FactValue] = self.facts()
        if self.parties:
            facts["grouping"] = grouping_of(self.parties)
        return facts

    def missing(self) -> list[str]:
        """Return the facts the engine goes without: unknown ones and skipped ones with no value."""
        from advisor.facts import FACT_NAMES

        facts = self.facts()
        return [name for name in FACT_NAMES if name not in facts]

    def not_asked(self) -> list[str]:
        """Return the facts neither answered (not even as unknown) nor pre-filled."""
        from advisor.facts import FACT_NAMES

        facts = self.facts()
        return [name for name in FACT_NAMES if name not in facts and name not in self.unknown]

    def is_empty(self) -> bool:
        """Return whether nothing at all has been typed or pre-filled."""
        return not (self.parties or self.answers or self.unknown or self.suggested or self.suggested_parties)

    def is_prefilled(self) -> bool:
        """Return whether every fact and the parties are pre-filled and nothing is answered yet."""
        if self.answers or self.unknown or self.parties or not (self.suggested_parties and self.suggested):
            return False  # decided without loading the fact model: this runs before the first question
        from advisor.facts import FACT_NAMES

        return set(self.suggested) == set(FACT_NAMES)

    def accept_all(self) -> None:
        """Take every pre-filled answer and the pre-filled parties as given, in question order."""
        from advisor.ask.questions import ORDER

        self.parties, self.suggested_parties = list(self.suggested_parties), []
        for fact in ORDER:
            if fact in self.suggested and not self.answered(fact):
                self.answer(fact, self.suggested[fact])

    @classmethod
    def from_case(
        cls, facts: dict[str, FactValue], parties: list[str], about: dict[str, Any] | None = None
    ) -> Session:
        """Start a session whose defaults are a case's facts and parties, keeping what else it says."""
        from advisor.facts import FACT_NAMES, check_known

        kept = {k: v for k, v in (about or {}).items() if k in ABOUT_KEYS and v not in (None, [], "")}
        asked = {k: v for k, v in check_known(facts).items() if k in FACT_NAMES}  # derived ones aside
        return cls(suggested=asked, suggested_parties=[clean_name(p) for p in parties], about=kept)


# --- resume files ------------------------------------------------------------------------


@cache
def _resume_model() -> Any:
    """Return the pydantic model of a resume file (built on first use)."""
    from pydantic import BaseModel, ConfigDict

    class ResumeFile(BaseModel):
        model_config = ConfigDict(extra="forbid", strict=True)

        format: Literal["advisor-ask-resume/1"]
        parties: list[str] = []
        answers: dict[str, str | bool] = {}
        unknown: list[str] = []
        suggested: dict[str, str | bool] = {}
        suggested_parties: list[str] = []
        save: str | None = None
        order: list[str] = []  # the facts in the order they were answered (older files lack it)
        case: dict[str, Any] = {}  # id, title, year, ... of the case that pre-filled the answers
        rules: str | None = None  # the knowledge base's digest (advisor.rulebase.digest)

    return ResumeFile


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
    data["order"] = list(session.history)
    if session.about:
        data["case"] = dict(session.about)
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
    from pydantic import ValidationError

    from advisor.documents import DocumentError, read_document
    from advisor.facts import FACT_NAMES, check_known

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
        raw = _resume_model().model_validate(data)
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
    given = [*answers, *raw.unknown]
    if sorted(raw.order) != sorted(given) and raw.order:
        raise SessionFileError(f"{path}: order: must name each answered fact once")
    return Session(
        parties=[clean_name(p) for p in raw.parties],
        answers=answers,
        unknown=list(raw.unknown),
        history=list(raw.order) or given,
        about={k: v for k, v in raw.case.items() if k in ABOUT_KEYS},
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
        candidate = directory / RESUME_NAME.replace(RESUME_SUFFIX, f"-{number}{RESUME_SUFFIX}")
    return candidate


def resume_path_for(case_path: Path) -> Path:
    """Return the resume file name that goes with a case file name."""
    return case_path.with_name(f"{case_path.stem}{RESUME_SUFFIX}")


def waiting_resume_files(directory: Path) -> list[Path]:
    """Return the resume files left in a directory, newest first."""
    found = [p for p in directory.glob(f"*{RESUME_SUFFIX}") if p.is_file()]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


# --- case files ----------------------------------------------------------------------------


UNKNOWN = "unknown"  # how a case file says a fact is not known


def case_data(
    session: Session, notes: str | None = None, *, also_unknown: Sequence[str] = ()
) -> dict[str, Any]:
    """Return a case for a session: every fact, unknown ones as ``unknown``; raise ValueError if one lacks.

    A fact lacks when it was neither answered nor pre-filled (skipped as unable to
    matter); answer it, or mark it unknown with ``Session.answer(fact, None)``. The
    case's id, title, year, expectation, notes and sources come from the case that
    pre-filled the session; ``notes`` is used only where that case had none.
    ``also_unknown`` names facts to write as unknown although they were never asked.
    """
    from advisor.cases import Case
    from advisor.facts import FACT_NAMES

    given = session.facts()
    unknown = {*session.unknown, *also_unknown}
    lacking = [f for f in FACT_NAMES if f not in given and f not in unknown]
    if lacking:
        raise ValueError(f"a case file needs every fact; not asked: {', '.join(lacking)}")
    facts = {f: given.get(f, UNKNOWN) for f in FACT_NAMES}
    about = dict(session.about)
    if notes and not about.get("notes"):
        about["notes"] = notes
    data: dict[str, Any] = {k: about[k] for k in ABOUT_KEYS[:2] if k in about}
    data["parties"] = list(session.parties)
    data.update({k: about[k] for k in ("year",) if k in about})
    data["facts"] = facts
    data.update({k: about[k] for k in ABOUT_KEYS[3:] if k in about})
    Case.model_validate(data)  # the file written must be one the other commands accept, unknowns included
    return data


def save_case(
    session: Session, path: Path, notes: str | None = None, *, also_unknown: Sequence[str] = ()
) -> None:
    """Write a session's answers as a case file, atomically; raise ValueError if facts are missing."""
    header = f"# Answers from an `advisor ask` consultation. Check it with: advisor advise {path.name}\n"
    write_atomically(path, header + _dump(case_data(session, notes, also_unknown=also_unknown)))


def case_file_name(parties: list[str], about: dict[str, Any] | None = None) -> str:
    """Suggest a case file name: from the case's id or title if it has one, else the parties' names."""
    about = about or {}
    for name in (about.get("id"), about.get("title"), "-".join(parties)):
        slug = re.sub(r"[^a-z0-9]+", "-", str(name or "").lower()).strip("-")[:60].strip("-")
        if slug:
            return f"{slug}.yaml"
    return "advisor-case.yaml"


# --- helpers -------------------------------------------------------------------------------


def clean_name(text: str) -> str:
    """Return a party's name without control characters or surrounding blanks."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc").strip()


def _dump(data: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
