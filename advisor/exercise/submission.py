"""A student's submission: the file format of docs/exercises.md ("A submission"), read and written safely.

A submission names its scenario and student, codes all thirteen required facts (a value,
``unknown``, or a list of two or more values for a contested reading), and gives
the student's prediction and rationale. Files written by ``advisor exercise
start`` also record the pack and its version, the advisor's version and a digest
of the rule base, so that an instructor can tell what the student saw. Files are
written atomically, and read with errors that name the file, the line and the field.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from advisor import facts
from advisor.documents import Document, DocumentError, read_document
from advisor.facts import ASKED_FACTS, FACT_NAMES, FactValue, scales
from advisor.outcomes import OUTCOME_IDS

UNKNOWN = "unknown"
REQUIRED = ("scenario", "student", "facts", "prediction")
OPTIONAL = ("rationale", "submitted", "pack", "pack_version", "advisor_version", "rules_digest")

Answer = facts.Answer | None
"""A student's answer for one fact: a value, a contested reading (several values), or None for unknown."""


class SubmissionError(ValueError):
    """A submission that cannot be graded; the message names the file, the line and the field."""


@dataclass(frozen=True)
class Submission:
    """One student's coding of one scenario, with their prediction."""

    scenario: str
    student: str
    facts: dict[str, Answer]
    prediction: str
    rationale: str = ""
    submitted: str | None = None
    pack: str | None = None
    pack_version: str | None = None
    advisor_version: str | None = None
    rules_digest: str | None = None
    file: str = ""

    def plain_facts(self) -> dict[str, FactValue]:
        """Return the facts given as one value (what the engine is given; unknown and contested left out)."""
        return {k: v for k, v in self.facts.items() if v is not None and not isinstance(v, tuple)}

    def to_data(self) -> dict[str, Any]:
        """Return the submission as the data of its file (docs/exercises.md), in a stable order."""
        data: dict[str, Any] = {
            "scenario": self.scenario,
            "student": self.student,
            "facts": {k: show_answer(self.facts[k], raw=True) for k in ASKED_FACTS if k in self.facts},
            "prediction": self.prediction,
            "rationale": self.rationale,
            "submitted": self.submitted or now(),
        }
        for key in ("pack", "pack_version", "advisor_version", "rules_digest"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


def show_answer(answer: Answer, *, raw: bool = False) -> Any:
    """Return an answer as written in a file (``raw``) or as text: a value, ``unknown``, or a list."""
    if answer is None:
        return UNKNOWN
    if isinstance(answer, tuple):
        return list(answer) if raw else " or ".join(_text(v) for v in answer)
    return answer if raw else _text(answer)


def _text(value: FactValue) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else value


def now() -> str:
    """Return the current time as ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@cache
def rules_digest(directory: Path | None = None) -> str:
    """Return ``sha256:HEX`` over the rule files' names and bytes, in name order."""
    from advisor.rulebase import load_knowledge_base

    folder = load_knowledge_base(directory).directory
    digest = hashlib.sha256()
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")], key=lambda p: p.name):  # as read
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return f"sha256:{digest.hexdigest()}"


# --- reading --------------------------------------------------------------------------------


def read_submission(path: Path, *, display: str | None = None) -> Submission:
    """Read and check a submission file; raise SubmissionError naming the file, line and field."""
    name = display or str(path)
    try:
        document = read_document(path)
    except DocumentError as exc:
        raise SubmissionError(f"{name}: {exc}") from None
    return submission_from_document(document, name)


def submission_from_document(document: Document, name: str) -> Submission:
    """Check a submission's data, field by field; raise SubmissionError at the first problem."""
    data = document.data

    def fail(path: tuple[str | int, ...], message: str) -> SubmissionError:
        line = document.line_of(path)
        field = ".".join(str(p) for p in path) or "(file)"
        return SubmissionError(f"{name}: " + (f"line {line}: " if line else "") + f"{field}: {message}")

    if not isinstance(data, dict):
        raise fail((), "a submission is a mapping (scenario, student, facts, prediction, ...)")
    for key in data:
        if key not in REQUIRED + OPTIONAL:
            raise fail((key,), f"unknown key; allowed keys are {', '.join(REQUIRED + OPTIONAL)}")
    for key in REQUIRED:
        if key not in data:
            raise fail((), f"missing {key}")
    texts: dict[str, str | None] = {}
    for key in ("scenario", "student", "rationale", "submitted", "pack", "pack_version"):
        value = data.get(key)
        if key == "pack_version" and isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if value is not None and not isinstance(value, str):
            raise fail((key,), f"must be text (got {value!r})")
        texts[key] = value.strip() if isinstance(value, str) else None
    for key in ("advisor_version", "rules_digest"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise fail((key,), f"must be text (got {value!r})")
    if not texts["scenario"]:
        raise fail(("scenario",), "must name a scenario of the pack")
    if not texts["student"]:
        raise fail(("student",), "must be a non-empty name")
    if texts["submitted"] and not _is_iso_time(texts["submitted"]):
        raise fail(("submitted",), f"{texts['submitted']!r} is not an ISO 8601 time (2026-12-01T10:00:00Z)")
    prediction = data["prediction"]
    if prediction not in OUTCOME_IDS:
        given = "empty" if prediction is None else f"{prediction!r} is not an outcome id"
        raise fail(("prediction",), f"{given}; use one of {', '.join(OUTCOME_IDS)}")
    facts = data["facts"]
    if not isinstance(facts, dict):
        raise fail(("facts",), "must be a mapping of fact names to values")
    answers: dict[str, Answer] = {}
    for key, value in facts.items():
        if key not in ASKED_FACTS:
            raise fail(("facts", key), f"unknown fact; known facts are {', '.join(ASKED_FACTS)}")
        answers[key] = _answer(key, value, lambda message, k=key: fail(("facts", k), message))
    missing = [n for n in FACT_NAMES if n not in answers]
    if missing:
        raise fail(("facts",), f"missing {', '.join(missing)} (write unknown for a fact you cannot code)")
    return Submission(
        scenario=str(texts["scenario"]),
        student=str(texts["student"]),
        facts={n: answers[n] for n in ASKED_FACTS if n in answers},  # an optional fact only if given
        prediction=str(prediction),
        rationale=texts["rationale"] or "",
        submitted=texts["submitted"],
        pack=texts["pack"],
        pack_version=texts["pack_version"],
        advisor_version=data.get("advisor_version"),
        rules_digest=data.get("rules_digest"),
        file=name,
    )


def _is_iso_time(text: str) -> bool:
    """Return whether a text is an ISO 8601 date or time, as ``datetime.fromisoformat`` reads it."""
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _answer(fact: str, value: Any, fail: Any) -> Answer:
    """Check one answer: a value on the fact's scale, ``unknown``, or a list of distinct values."""
    scale = scales()[fact]

    def one(item: Any) -> FactValue:
        if item in scale.values and type(item) is type(scale.values[0]):
            return item
        said = scale.refuse(item, unknown=True)  # as a case file's: a quoted boolean, an empty value named
        raise fail(said + ", or a list of them" if said.endswith(scale.allowed(unknown=True)) else said)

    if value == UNKNOWN:
        return None
    if isinstance(value, list):
        if UNKNOWN in value:
            raise fail(
                f"unknown stands alone, not in a list: write unknown, or two or more of {scale.allowed()}"
            )
        values = tuple(one(item) for item in value)
        if len(set(values)) < 2 or len(set(values)) != len(values):
            raise fail("a contested reading lists two or more distinct values")
        return values
    return one(value)


# --- writing --------------------------------------------------------------------------------


def write_submission(submission: Submission, path: Path) -> None:
    """Write a submission file atomically (a temporary sibling, flushed, then renamed)."""
    from advisor.exercise.dump import dump_yaml
    from advisor.output import write_atomically

    header = (
        f"# A submission for the exercise {submission.scenario}. "
        f"Feedback: advisor exercise feedback {path.name}\n"
    )
    write_atomically(path, header + dump_yaml(submission.to_data()))


def submission_file_name(scenario: str, student: str) -> str:
    """Suggest a file name for a student's submission: ``SCENARIO--STUDENT.yaml``."""
    from advisor.ask.casefile import case_file_name

    return f"{scenario}--{case_file_name([student]).removesuffix('.yaml')}.yaml"
