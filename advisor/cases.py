"""Case files (docs/case-format.md), validated at the boundary with messages a person can act on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic
from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError, field_validator

from advisor.documents import Document, DocumentError, read_document
from advisor.facts import ALL_FACTS, Facts, FactValue, grouping_of, scales
from advisor.outcomes import OUTCOME_IDS, OutcomeId
from advisor.parties import check_parties

CASE_SUFFIXES = (".yaml", ".yml", ".json")


class Case(BaseModel):
    """One case: a dyad (or a group's core), its facts, and optionally the expected outcome."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: str | None = Field(None, description="Case id; defaults to the file name without extension.")
    title: str | None = Field(None, description="The arrangement's name.")
    parties: list[str] = Field(
        default_factory=list, description="Two names for a dyad; three or more for a group."
    )
    year: int | None = Field(None, description="The year the facts describe.")
    facts: Facts = Field(description="The facts about the dyad (all of them).")
    expected: OutcomeId | None = Field(None, description="The outcome id this case should get.")
    notes: str | None = Field(None, description="Free text: justification of contestable facts.")
    sources: list[str] = Field(default_factory=list, description="Where the facts come from.")
    contested: dict[str, tuple[FactValue, ...]] = Field(
        default_factory=dict,
        description="Filled in from ``facts``, never written: the facts given as several plausible "
        "values (a list) or as unknown (every value of the scale), with their readings.",
    )

    _unknown: tuple[str, ...] = pydantic.PrivateAttr(default=())

    @pydantic.model_validator(mode="wrap")
    @classmethod
    def _derive(cls, data: Any, handler: Any) -> Any:
        """Read contested and unknown facts aside, and the derived facts off the case.

        A fact given as a list of two or more distinct allowed values, or as
        ``unknown``, goes to ``contested`` with its readings; ``facts`` keeps the
        first reading in its place, so that it stays a complete, valid set (the
        advisor itself always reasons over every reading). ``grouping`` is read off
        the parties unless given. ``contested`` is never read from a file; it lists the facts in the
        facts' order, whatever their order in the file, so that the reading explained does not depend on it.
        """
        if isinstance(data, dict) and "contested" in data:
            raise ValueError("contested is not a key of a case file: list a contested fact's values in facts")
        if not isinstance(data, dict) or not isinstance(data.get("facts"), dict):
            return handler(data)
        facts = dict(data["facts"])
        contested: dict[str, tuple[FactValue, ...]] = {}
        for name, value in data["facts"].items():
            readings = _readings(str(name), value) if isinstance(value, list) or value == "unknown" else None
            if readings is not None:
                contested[str(name)] = readings
                facts[name] = readings[0]
        if "grouping" not in facts and isinstance(data.get("parties"), list):
            facts["grouping"] = grouping_of(data["parties"])
        case = handler({**data, "facts": facts})
        contested = {n: contested[n] for n in ALL_FACTS if n in contested} | contested  # the facts' order
        case = case.model_copy(update={"contested": contested}) if contested else case
        case._unknown = tuple(n for n in contested if data["facts"][n] == "unknown")
        return case

    @property
    def unknown(self) -> tuple[str, ...]:
        """Return the contested facts the file gives as ``unknown`` (not as a list of values)."""
        return self._unknown

    @field_validator("parties")
    @classmethod
    def _parties(cls, parties: list[str]) -> list[str]:
        return check_parties(parties)

    @property
    def readings(self) -> int:
        """Return how many readings the contested facts give (1 when none is contested)."""
        count = 1
        for values in self.contested.values():
            count *= len(values)
        return count

    @property
    def name(self) -> str:
        """Return the case's id, or a placeholder when it has none."""
        return self.id or "(unnamed case)"


class CaseFile(RootModel[Case | list[Case]]):
    """A case file: one case, or a list of cases."""


@dataclass(frozen=True)
class CaseError:
    """A problem with one case file, or with one case in it."""

    file: str
    message: str
    case: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}: case {self.case!r}: " if self.case else f"{self.file}: "
        return where + self.message

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the ``errors`` entries (docs/case-format.md)."""
        data: dict[str, Any] = {"file": self.file, "message": self.message}
        if self.case:
            data["case"] = self.case
        return data


@dataclass(frozen=True)
class LoadedCase:
    """A valid case and the file it came from."""

    file: str
    case: Case


def load_file(path: Path, *, display: str | None = None) -> tuple[list[LoadedCase], list[CaseError]]:
    """Read one case file; return its valid cases and one error (one line) per bad case, or for the file."""
    name = display or str(path)
    try:
        document = read_document(path)
    except DocumentError as exc:
        return [], [CaseError(name, str(exc))]
    return cases_from_document(document, name, default_id=path.stem)


def cases_from_document(
    document: Document, name: str, *, default_id: str
) -> tuple[list[LoadedCase], list[CaseError]]:
    """Validate every case in a document, keeping the good ones and explaining the bad ones."""
    data = document.data
    if isinstance(data, dict):
        entries: list[tuple[tuple[str | int, ...], Any, str]] = [((), data, default_id)]
    elif isinstance(data, list) and data:
        entries = [((i,), item, f"{default_id}#{i + 1}") for i, item in enumerate(data)]
    else:
        what = "a case file holds one case (a mapping) or a list of cases"
        return [], [CaseError(name, "the list of cases is empty" if data == [] else what)]
    loaded, errors = [], []
    for path, raw, fallback in entries:
        case_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else fallback
        if not isinstance(raw, dict):
            errors.append(CaseError(name, _at(document, path) + "a case is a mapping", case_id))
            continue
        try:
            case = Case.model_validate(raw)
        except ValidationError as exc:
            errors.append(CaseError(name, explain(exc, document, path), case_id))
            continue
        loaded.append(LoadedCase(name, case if case.id else case.model_copy(update={"id": fallback})))
    return loaded, errors


SHOWN_PROBLEMS = 3  # a case with more problems names these in full, and the others' fields


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a case: where (line, field), what, and a hint shared by its kind."""

    line: int | None
    field: str
    reason: str
    hint: str | None = None

    def text(self) -> str:
        """Return ``line N: field: reason`` (without the hint)."""
        return (f"line {self.line}: " if self.line else "") + f"{self.field}: {self.reason}"


def explain(exc: ValidationError, document: Document, prefix: tuple[str | int, ...]) -> str:
    """Turn pydantic's findings on a case into one line: ``field: what is wrong; what is allowed``.

    Several problems make one line, in the file's order: the first few in full, then
    ``+N more:`` and the other fields. A misspelt fact and the fact it stands for
    (missing) are one problem: ``rivals_ties: unknown fact — did you mean rival_ties?``.
    """
    return combine(problems(exc, document, prefix))


def combine(found: list[Problem]) -> str:
    """Join a case's problems into one readable line (see ``explain``)."""
    found = sorted(found, key=lambda p: p.line or 0)
    if len(found) == 1:
        one = found[0]
        return one.text() + (f"; {one.hint}" if one.hint else "")
    shown, rest = found[:SHOWN_PROBLEMS], found[SHOWN_PROBLEMS:]
    text = "; ".join(p.text() for p in shown)
    if rest:
        text += f"; +{len(rest)} more: {', '.join(p.field for p in rest)}"
    hints = list(dict.fromkeys(p.hint for p in found if p.hint))
    return text + "".join(f" ({hint})" for hint in hints)


def problems(exc: ValidationError, document: Document, prefix: tuple[str | int, ...]) -> list[Problem]:
    """Return the problems pydantic found in a case, a misspelt field joined to the missing one it names."""
    found: list[Problem] = []
    missing: dict[tuple[Any, ...], list[str]] = {}  # one problem per mapping lists all its missing fields
    errors = exc.errors()
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "missing" and len(loc) > 1:
            missing.setdefault(loc[:-1], []).append(str(loc[-1]))
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "missing" and len(loc) > 1:
            continue
        field = ".".join(str(p) for p in loc) or "(case)"
        line = document.line_of((*prefix, *loc))
        if error["type"] == "extra_forbidden":
            found.append(_unknown(loc, line, field, missing.get(loc[:-1], [])))
            continue
        found.append(Problem(line, field, _reason(error, loc)))
    for parent, names in missing.items():
        if not names:
            continue
        line = document.line_of((*prefix, *parent))
        where = ".".join(str(p) for p in parent)
        if len(names) == 1:
            found.append(Problem(line, f"{where}.{names[0]}", _missing((*parent, names[0]))))
        else:
            found.append(Problem(line, where, f"missing {', '.join(names)}"))
    return found


def _unknown(loc: tuple[Any, ...], line: int | None, field: str, missing: list[str]) -> Problem:
    """Explain an unknown key, naming the missing (or known) one it is likely a misspelling of.

    A close match among the missing fields is taken off ``missing``: the two are one problem.
    """
    from difflib import get_close_matches

    name, is_fact = str(loc[-1]), loc[:-1] == ("facts",)
    kind = "fact" if is_fact else "key"
    known = list(scales()) if is_fact else [k for k in Case.model_fields if k != "contested"]
    close = get_close_matches(name, missing, n=1, cutoff=0.75)
    if close:
        missing.remove(close[0])
        return Problem(line, field, f"unknown {kind} — did you mean {close[0]}? ({close[0]} is missing)")
    hint = f"known facts are {', '.join(known)}" if is_fact else f"allowed keys are {', '.join(known)}"
    close = get_close_matches(name, known, n=1, cutoff=0.75)
    if close:
        return Problem(line, field, f"unknown {kind} — did you mean {close[0]}?", hint)
    return Problem(line, field, f"unknown {kind}", hint)


def _reason(error: Any, loc: tuple[Any, ...]) -> str:
    """Say what is wrong with one field and what would be right."""
    kind, value = error["type"], error.get("input")
    fact = loc[1] if len(loc) == 2 and loc[0] == "facts" else None
    scale = scales().get(str(fact)) if fact else None
    if kind == "missing":
        return _missing(loc)
    if scale is not None and isinstance(value, list):
        return (
            f"{_short(value)}: a contested fact lists two or more distinct values, each one of "
            f"{scale.allowed()} (or write unknown)"
        )
    if scale is not None:
        return scale.refuse(value, unknown=True)
    if loc == ("expected",):
        return f"{value!r} is not an outcome id; use one of {', '.join(OUTCOME_IDS)}"
    if loc == ("facts",) and kind in ("model_type", "model_attributes_type"):
        return "must be a mapping of fact names to values"
    said = str(error["ctx"]["error"]) if kind == "value_error" else error["msg"].lower()  # our own words
    return f"{said} (got {_short(value)})"


def _readings(fact: str, value: Any) -> tuple[FactValue, ...] | None:
    """Return the readings of a contested (list) or unknown fact, or None for a plain or invalid value."""
    scale = scales().get(fact)
    if scale is None:
        return None
    if value == "unknown" and "unknown" not in scale.values:
        return scale.values
    distinct = isinstance(value, list) and len(value) >= 2 and len(set(map(repr, value))) == len(value)
    if distinct and all(v in scale.values and type(v) is type(scale.values[0]) for v in value):
        return tuple(value)
    return None


def _missing(loc: tuple[Any, ...]) -> str:
    """Say that a field is missing, and what a fact would allow."""
    scale = scales().get(str(loc[1])) if len(loc) == 2 and loc[0] == "facts" else None
    return "missing" + (f"; one of {scale.allowed()}" if scale else "")


def _at(document: Document, path: tuple[str | int, ...]) -> str:
    line = document.line_of(path)
    return f"line {line}: " if line else ""


def _short(value: Any) -> str:
    text = json.dumps(value, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
