"""The results of a batch evaluation: each case's verdict, the changes between two rule bases, the counts.

Everything here is plain data: a ``CaseInput`` (a valid case), the engine's
``Verdict`` on it, and the ``Evaluation`` of a whole batch with its summary,
confusion matrix and JSON document (docs/case-format.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from advisor.cases import CaseError
from advisor.engine import Confidence, Firing
from advisor.facts import FactValue
from advisor.outcomes import OUTCOME_IDS, label


@dataclass(frozen=True)
class CaseInput:
    """A valid case reduced to plain data: where it came from, what it claims, and its facts."""

    file: str
    id: str
    title: str | None
    parties: tuple[str, ...]
    year: int | None
    expected: str | None
    facts: dict[str, FactValue]
    contested: tuple[tuple[str, tuple[FactValue, ...]], ...] = ()  # facts given as several values


@dataclass(frozen=True)
class Verdict:
    """What one engine run concluded; with the trace when two knowledge bases are compared."""

    outcome: str
    deciding_rule: str
    trace: tuple[Firing, ...] = ()
    readings: tuple[tuple[str, float], ...] = ()  # outcome -> share of readings, for contested facts
    readings_sampled: bool = False  # whether a fixed-seed sample of the readings stood in for them all
    # how clear the advice is, as ``advisor advise`` says it (None when not judged: --against's other run)
    confidence: Confidence | None = None
    runner_up: str | None = None
    margin: float | None = None
    hinges_on: tuple[str, ...] = ()
    beliefs: tuple[tuple[str, float], ...] = ()  # the engine's, each outcome's; kept with the trace


@dataclass(frozen=True)
class CaseResult:
    """One evaluated case: the case, and the engine's verdict on it."""

    case: CaseInput
    verdict: Verdict

    @property
    def match(self) -> bool | None:
        """Return whether the recommendation is the expected one; None when nothing is expected."""
        if self.case.expected is None:
            return None
        return self.case.expected == self.verdict.outcome

    @property
    def matched_readings(self) -> float | None:
        """Return the share of readings that give the expected outcome; None when nothing is expected."""
        if self.case.expected is None:
            return None
        if not self.verdict.readings:
            return 1.0 if self.match else 0.0
        return dict(self.verdict.readings).get(self.case.expected, 0.0)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of a ``results`` entry (docs/case-format.md), with extra detail."""
        return {
            "case": self.case.id,
            "file": self.case.file,
            "recommendation": self.verdict.outcome,
            "expected": self.case.expected,
            "match": self.match,
            "matched_readings": self.matched_readings,
            "readings": dict(self.verdict.readings or ((self.verdict.outcome, 1.0),)),
            "readings_sampled": self.verdict.readings_sampled,
            "label": label(self.verdict.outcome),
            "deciding_rule": self.verdict.deciding_rule,
            "confidence": self.verdict.confidence,
            "runner_up": self.verdict.runner_up,
            "margin": self.verdict.margin,
            "hinges_on": None if self.verdict.confidence is None else list(self.verdict.hinges_on),
            "title": self.case.title,
            "parties": list(self.case.parties),
            "year": self.case.year,
        }


@dataclass(frozen=True)
class VerdictChange:
    """A case whose recommendation differs under another knowledge base, and why."""

    case: CaseInput
    old: Verdict
    new: Verdict
    difference: tuple[str, ...]  # the rules that made the difference, deciding rules first
    edited: tuple[str, ...]  # those of them whose logic differs between the two knowledge bases

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of a ``changes`` entry."""
        return {
            "case": self.case.id,
            "file": self.case.file,
            "expected": self.case.expected,
            "old": self.old.outcome,
            "old_rule": self.old.deciding_rule,
            "new": self.new.outcome,
            "new_rule": self.new.deciding_rule,
            "difference": list(self.difference),
            "edited": list(self.edited),
        }


CONFIDENCES: tuple[Confidence, ...] = ("clear", "leaning", "close")


class Calibration(NamedTuple):
    """How one confidence fared: the cases with an expectation that got it, and how many matched."""

    cases: int
    matched: int

    @property
    def share(self) -> float | None:
        """Return the share of those cases that matched, or None when there is none."""
        return self.matched / self.cases if self.cases else None


@dataclass(frozen=True)
class Summary:
    """The counts of the JSON document's ``summary`` (docs/case-format.md)."""

    cases: int
    with_expected: int
    matched: int
    errors: int
    # calibration: for each confidence, the cases with an expectation that got it, and how many matched
    by_confidence: dict[Confidence, Calibration] = field(default_factory=dict)

    @property
    def accuracy(self) -> float | None:
        """Return the share of expectations met, or None when no case has one."""
        return self.matched / self.with_expected if self.with_expected else None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form, with the accuracy added."""
        accuracy = None if self.accuracy is None else round(self.accuracy, 4)
        return {
            "cases": self.cases,
            "with_expected": self.with_expected,
            "matched": self.matched,
            "errors": self.errors,
            "accuracy": accuracy,
            "by_confidence": {c: {"cases": n, "matched": m} for c, (n, m) in self.by_confidence.items()},
        }


def summarize(results: Sequence[CaseResult], errors: int) -> Summary:
    """Count the cases, the expectations and the matches, the last two by confidence too."""
    by_confidence: dict[Confidence, Calibration] = {c: Calibration(0, 0) for c in CONFIDENCES}
    for r in results:
        if r.match is not None and r.verdict.confidence is not None:
            cases, matched = by_confidence[r.verdict.confidence]
            by_confidence[r.verdict.confidence] = Calibration(cases + 1, matched + r.match)
    return Summary(
        cases=len(results),
        with_expected=sum(r.match is not None for r in results),
        matched=sum(r.match is True for r in results),
        errors=errors,
        by_confidence=by_confidence,
    )


@dataclass(frozen=True)
class Evaluation:
    """The outcome of a batch: results in input order, errors, and (with ``against``) the changes."""

    results: tuple[CaseResult, ...]
    errors: tuple[CaseError, ...]
    rules: Path
    against: tuple[CaseResult, ...] | None = None  # the same cases under the other knowledge base
    changes: tuple[VerdictChange, ...] | None = None
    other_rules: Path | None = None
    seconds: float = 0.0
    files: tuple[str, ...] = ()  # the case files read (as shown), for the closing line's counts

    @cached_property
    def summary(self) -> Summary:
        """Return the counts of the batch (counted once: the results do not change)."""
        return summarize(self.results, len(self.errors))

    @property
    def status(self) -> int:
        """Return the exit status: 2 for invalid input, else 1 for a failed expectation, else 0."""
        if self.errors:
            return 2
        if self.changes is None and any(r.match is False for r in self.results):
            return 1
        return 0

    def confusion(self) -> dict[str, dict[str, int]]:
        """Return how often each expected outcome (rows) got each recommendation (columns)."""
        matrix = {e: dict.fromkeys(OUTCOME_IDS, 0) for e in OUTCOME_IDS}
        for r in self.results:
            if r.case.expected is not None:
                matrix[r.case.expected][r.verdict.outcome] += 1
        return matrix

    def recall(self) -> dict[str, float | None]:
        """Return, for each outcome, the share of the cases expecting it that got it."""
        recall: dict[str, float | None] = {}
        for outcome, row in self.confusion().items():
            total = sum(row.values())
            recall[outcome] = row[outcome] / total if total else None
        return recall

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON document of docs/case-format.md (``advisor evaluate --json``)."""
        document: dict[str, Any] = {
            "results": [r.to_dict() for r in self.results],
            "errors": [e.to_dict() for e in self.errors],
            "summary": self.summary.to_dict(),
        }
        if self.changes is not None:
            document["changes"] = [c.to_dict() for c in self.changes]
        return document
