"""Resume files: whatever a consultation has typed, kept so that ``advisor ask --resume`` continues it.

A resume file holds the answers typed so far, including answers given as
"unknown" and answers given as several plausible values (a list), in the order
given, so that a consultation can continue (and go back) exactly where it stopped;
its name ends in ``.advisor-resume.yaml``, which ``.gitignore`` leaves out.
Leaving at any prompt writes one (``save_for_later``).
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from rich.console import Console
from rich.text import Text

from advisor.ask.session import ABOUT_KEYS, Inline, Session, contested_answer, yaml_text
from advisor.output import unused_path, write_atomically

if TYPE_CHECKING:
    from advisor.facts import FactValue

RESUME_FORMAT = "advisor-ask-resume/1"
RESUME_SUFFIX = ".advisor-resume.yaml"
RESUME_NAME = f"consultation{RESUME_SUFFIX}"


class SessionFileError(ValueError):
    """A resume file that cannot be used; the message names the file and the problem."""


@cache
def _resume_model() -> Any:
    """Return the pydantic model of a resume file (built on first use)."""
    from pydantic import BaseModel, ConfigDict

    class ResumeFile(BaseModel):
        model_config = ConfigDict(extra="forbid", strict=True)

        format: Literal["advisor-ask-resume/1"]
        parties: list[str] = []
        answers: dict[str, str | bool | list[str | bool]] = {}  # a list: several plausible values
        unknown: list[str] = []
        suggested: dict[str, str | bool | list[str | bool]] = {}
        suggested_parties: list[str] = []
        suggested_unknown: list[str] = []  # pre-filled (or taken back) as unknown
        save: str | None = None
        order: list[str] = []  # the facts in the order they were answered (older files lack it)
        case: dict[str, Any] = {}  # id, title, year, ... of the case that pre-filled the answers
        rules: str | None = None  # the knowledge base's digest (advisor.rulebase.digest)

    return ResumeFile


def resume_data(session: Session) -> dict[str, Any]:
    """Return the content of a resume file for a session (answers in the order given)."""
    given = {**session.answers, **_listed(session.contested)}
    data: dict[str, Any] = {
        "format": RESUME_FORMAT,
        "parties": list(session.parties),
        "answers": {f: given[f] for f in session.history if f in given},
        "unknown": [f for f in session.history if f in session.unknown],
    }
    data["answers"].update({f: v for f, v in given.items() if f not in data["answers"]})
    data["unknown"] += [f for f in session.unknown if f not in data["unknown"]]
    if session.suggested:
        data["suggested"] = _listed(session.suggested)
    if session.suggested_parties:
        data["suggested_parties"] = list(session.suggested_parties)
    if session.taken_back_unknown:
        data["suggested_unknown"] = list(session.taken_back_unknown)
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
    write_atomically(path, header + yaml_text(resume_data(session)))


def read_resume(path: Path) -> Session:
    """Read a resume file back into a session, or raise SessionFileError saying what is wrong."""
    from pydantic import ValidationError

    from advisor.documents import DocumentError, read_document
    from advisor.facts import ASKED_FACTS

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
        answers, contested = _checked(raw.answers)
        plain, several = _checked(raw.suggested)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"] if p not in ("str", "bool")) or "(file)"
        reason = "the value is empty" if first.get("input", "") is None else first["msg"]
        raise SessionFileError(f"{path}: not a resume file of advisor ask: {where}: {reason}") from None
    except ValueError as exc:
        raise SessionFileError(f"{path}: {exc}") from None
    for name in raw.unknown:
        if name not in ASKED_FACTS or name in answers or name in contested:
            raise SessionFileError(f"{path}: unknown: {name!r} is not an unanswered fact")
    for name in raw.suggested_unknown:
        if name not in ASKED_FACTS:
            raise SessionFileError(f"{path}: suggested_unknown: {name!r} is not a fact")
    given = [*answers, *contested, *raw.unknown]
    if sorted(raw.order) != sorted(given) and raw.order:
        raise SessionFileError(f"{path}: order: must name each answered fact once")
    return Session(
        parties=list(raw.parties),  # as they were typed: kept exactly
        answers=answers,
        contested=contested,
        unknown=list(raw.unknown),
        history=list(raw.order) or given,
        about={k: v for k, v in raw.case.items() if k in ABOUT_KEYS},
        suggested={**plain, **several},
        taken_back_unknown=list(raw.suggested_unknown),
        suggested_parties=list(raw.suggested_parties),
        save=Path(raw.save) if raw.save else None,
        resume_path=path,
        rules=raw.rules,
    )


def _listed(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Return answers as a file holds them: several plausible values as a list."""
    return {f: Inline(v) if isinstance(v, tuple) else v for f, v in answers.items()}


def _checked(
    answers: Mapping[str, Any],
) -> tuple[dict[str, FactValue], dict[str, tuple[FactValue, ...]]]:
    """Validate answers read from a file: single values, and lists of several plausible values
    (one distinct value in a list counts as a single answer); raise ValueError naming the fact."""
    from advisor.facts import check_known

    single = check_known({f: v for f, v in answers.items() if not isinstance(v, list)})
    several: dict[str, tuple[FactValue, ...]] = {}
    for fact, values in answers.items():
        if isinstance(values, list):
            checked = contested_answer(fact, values)
            if len(checked) > 1:
                several[fact] = checked
            else:
                single[fact] = checked[0]
    return single, several


def _kind(data: Any) -> str:
    """Name the kind of a plain value read from a file."""
    names = {str: "string", list: "list", bool: "boolean", int: "number", float: "number"}
    return names.get(type(data), type(data).__name__)


def unused_resume_path(directory: Path) -> Path:
    """Return a resume file name in a directory that does not hold a file of that name yet."""
    return unused_path(directory / RESUME_NAME, suffix=RESUME_SUFFIX)


def resume_path_for(case_path: Path) -> Path:
    """Return the resume file name that goes with a case file name."""
    return case_path.with_name(f"{case_path.stem}{RESUME_SUFFIX}")


def waiting_resume_files(directory: Path) -> list[Path]:
    """Return the resume files left in a directory, newest first."""
    found = [p for p in directory.glob(f"*{RESUME_SUFFIX}") if p.is_file()]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def mention_waiting(console: Console) -> None:
    """Say that an unfinished consultation waits here, and how to continue it."""
    waiting = waiting_resume_files(Path("."))
    if waiting:
        more = f" (and {len(waiting) - 1} more)" if len(waiting) > 1 else ""
        message = Text(f"An unfinished consultation waits in {waiting[0]}{more}. Continue it with: ")
        message.append(f"advisor ask --resume {shlex.quote(str(waiting[0]))}", style="bold")
        console.print(message.append("\nOr answer below to start a new one."))


def save_for_later(session: Session, console: Console, why: str = "Stopped.") -> int:
    """Write what was typed to a resume file and say how to continue; return the exit status.

    ``why`` opens the message (the consultation was stopped, or its case file could not be written).
    """
    console.print()
    if session.is_empty():
        console.print("Stopped before anything was entered; there is nothing to keep.")
        return 130
    path = session.resume_path or unused_resume_path(Path("."))
    try:
        save_resume(session, path)
    except OSError as exc:  # never lose the answers: show them instead
        import yaml

        sys.stderr.write(f"advisor: cannot write {path} ({exc.strerror or exc}); your answers so far:\n")
        sys.stderr.write(yaml.safe_dump(resume_data(session), sort_keys=False, allow_unicode=True))
        return 1
    message = Text(f"{why} Your answers so far are saved in {path}\n")
    message.append(f"Continue with: advisor ask --resume {shlex.quote(str(path))}", style="bold")
    console.print(message)
    return 130
