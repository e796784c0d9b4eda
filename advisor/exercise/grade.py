"""Grading a class: every submission's feedback, the class's spread per fact, predictions, and what changed.

A bad submission -- a file that cannot be read, an unknown scenario, another
pack or pack version, a second submission of the same scenario by the same
student -- is rejected with one line saying why, and every other one is graded.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.case_files import find_case_files
from advisor.exercise.analyst import Analyst
from advisor.exercise.feedback import Feedback, feedback
from advisor.exercise.model import PARTS, Pack
from advisor.exercise.submission import Submission, SubmissionError, read_submission, show_answer
from advisor.facts import ASKED_FACTS, FactValue, scales
from advisor.outcomes import OUTCOME_IDS
from advisor.output import spreadsheet_cell

CSV_COLUMNS = (
    "student",
    "scenario",
    "score",
    *PARTS,
    "prediction",
    "actual",
    "your_recommendation",
    "reference_recommendation",
    "decisive_differences",
    "file",
)


@dataclass(frozen=True)
class Rejected:
    """A submission that was not graded, and why (one line)."""

    file: str
    message: str

    def __str__(self) -> str:
        return self.message if self.message.startswith(self.file) else f"{self.file}: {self.message}"


@dataclass(frozen=True)
class FactSpread:
    """How a class coded one fact of one scenario, against the reference."""

    scenario: str
    fact: str
    reference: FactValue
    counts: dict[str, int]  # each answer as written (value, unknown, or "a or b") -> how many gave it
    agree: int
    changed: int  # how many answers, each by itself, change the advice

    @property
    def total(self) -> int:
        """Return how many submissions coded the fact."""
        return sum(self.counts.values())

    @property
    def disagreement(self) -> float:
        """Return the share of the class that differs from the reference (0 to 1)."""
        return 1 - self.agree / self.total if self.total else 0.0


@dataclass(frozen=True)
class Predictions:
    """What a class predicted for one scenario, against history and the reference advice."""

    scenario: str
    actual: str
    reference: str
    counts: dict[str, int]  # outcome id -> how many predicted it, in the outcomes' documented order

    @property
    def total(self) -> int:
        """Return how many predictions there were."""
        return sum(self.counts.values())


@dataclass(frozen=True)
class ClassGrades:
    """A class's graded submissions, in the order given, and the rejected ones."""

    pack: Pack
    graded: tuple[Feedback, ...]
    rejected: tuple[Rejected, ...]

    def spread(self) -> list[FactSpread]:
        """Return the spread of every (scenario, fact), the most contested first."""
        found = []
        for scenario_id, group in self.by_scenario().items():
            graded = {f.fact for fb in group for f in fb.facts}  # optional facts only where given
            for fact in (n for n in ASKED_FACTS if n in graded):
                items = [f for fb in group for f in fb.facts if f.fact == fact]
                counts = Counter(i.shown for i in items)  # a fact left out: its default, not given
                reference = items[0].reference
                ordered = _ordered_counts(fact, reference, counts)
                found.append(
                    FactSpread(
                        scenario_id,
                        fact,
                        reference,
                        ordered,
                        sum(i.agrees for i in items),
                        sum(i.changes_advice for i in items),
                    )
                )
        return sorted(
            found, key=lambda s: (-s.disagreement, -s.changed, s.scenario, ASKED_FACTS.index(s.fact))
        )

    def predictions(self) -> list[Predictions]:
        """Return each scenario's predictions against what happened, in the pack's order."""
        found = []
        for scenario_id, group in self.by_scenario().items():
            counts = Counter(fb.submission.prediction for fb in group)
            found.append(
                Predictions(
                    scenario_id,
                    group[0].scenario.actual or "",
                    group[0].reference_recommendation,
                    {o: counts[o] for o in OUTCOME_IDS},
                )
            )
        return found

    def changed(self) -> list[Feedback]:
        """Return the submissions whose coding gives another answer than the reference coding."""
        return [fb for fb in self.graded if fb.your_recommendation != fb.reference_recommendation]

    def by_scenario(self) -> dict[str, list[Feedback]]:
        """Return the graded submissions grouped by scenario, in the pack's order."""
        groups: dict[str, list[Feedback]] = {s: [] for s in self.pack.scenarios}
        for fb in self.graded:
            groups[fb.scenario.id].append(fb)
        return {s: g for s, g in groups.items() if g}

    def mean(self) -> float | None:
        """Return the class's mean score, or None with nothing graded."""
        return round(sum(fb.score for fb in self.graded) / len(self.graded), 1) if self.graded else None

    def rows(self) -> Iterator[dict[str, Any]]:
        """Yield one gradebook row per graded submission (the CSV's columns)."""
        for fb in self.graded:
            yield {
                "student": fb.submission.student,
                "scenario": fb.scenario.id,
                "score": fb.score,
                **{p: round(fb.parts[p], 1) for p in PARTS},
                "prediction": fb.submission.prediction,
                "actual": fb.scenario.actual,
                "your_recommendation": fb.your_recommendation,
                "reference_recommendation": fb.reference_recommendation,
                "decisive_differences": " ".join(f.fact for f in fb.decisive),
                "file": fb.submission.file,
            }

    def to_csv(self) -> str:
        """Return the gradebook as CSV: student, scenario, score, then the parts and details.

        Every text cell is made safe for a spreadsheet (``spreadsheet_cell``): control characters
        escaped, and a cell that would be read as a formula given a leading ``'``; numbers stay numbers.
        """
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(
            {key: spreadsheet_cell(value) if isinstance(value, str) else value for key, value in row.items()}
            for row in self.rows()
        )
        return out.getvalue()

    def to_dict(self) -> dict[str, Any]:
        """Return everything as JSON data: the rows, the spread, the predictions, the changes, the errors."""
        return {
            "pack": {"id": self.pack.id, "version": self.pack.version},
            "summary": {
                "submissions": len(self.graded) + len(self.rejected),
                "graded": len(self.graded),
                "rejected": len(self.rejected),
                "mean_score": self.mean(),
            },
            "grades": list(self.rows()),
            "spread": [
                {
                    "scenario": s.scenario,
                    "fact": s.fact,
                    "reference": s.reference,
                    "counts": s.counts,
                    "agree": s.agree,
                    "total": s.total,
                    "changes_advice": s.changed,
                }
                for s in self.spread()
            ],
            "predictions": [
                {"scenario": p.scenario, "actual": p.actual, "reference": p.reference, "counts": p.counts}
                for p in self.predictions()
            ],
            "changed": [
                {
                    "student": fb.submission.student,
                    "scenario": fb.scenario.id,
                    "file": fb.submission.file,
                    "your_recommendation": fb.your_recommendation,
                    "reference_recommendation": fb.reference_recommendation,
                    "decisive": [f.fact for f in fb.decisive],
                }
                for fb in self.changed()
            ],
            "errors": [{"file": r.file, "message": str(r)} for r in self.rejected],
        }


def _ordered_counts(fact: str, reference: FactValue, counts: Counter[str]) -> dict[str, int]:
    """Return the counts with the reference first, then the scale's order, then anything else."""
    scale = [str(show_answer(v)) for v in scales()[fact].values]
    first = str(show_answer(reference))
    order = [first, *(v for v in scale if v != first)]
    ordered = {v: counts[v] for v in order if counts[v]}
    ordered.update({k: n for k, n in sorted(counts.items()) if k not in ordered})
    return ordered


def found_submissions(paths: Iterable[Path]) -> tuple[list[Path], list[Rejected]]:
    """Return the submission files named and the entries of the folders named that cannot be read
    (a dangling link, a link loop, a subfolder that cannot be listed), as ``evaluate`` reports them:
    never skipped in silence. The files: each file, and the files of each folder (sorted); a file
    named twice (as itself and in its folder, or through a link) once, as it was first named. Each
    folder is walked once."""
    files: list[Path] = []
    rejected: list[Rejected] = []
    seen: set[str] = set()
    for path in paths:
        found, unreadable = find_case_files(path) if path.is_dir() else ([path], [])
        rejected += [Rejected(str(entry), why) for entry, why in unreadable]
        for file in found:
            real = os.path.realpath(file)
            if real not in seen:
                seen.add(real)
                files.append(file)
    return files, rejected


def grade(
    paths: Iterable[Path],
    pack: Pack,
    analyst: Analyst | None = None,
    found: tuple[list[Path], list[Rejected]] | None = None,
) -> ClassGrades:
    """Grade every submission file against the pack; reject the bad ones with a reason each.

    ``found``: what ``found_submissions(paths)`` returned, when the caller has walked the folders already.
    """
    analyst = analyst or Analyst()
    files, rejected = found_submissions(paths) if found is None else (list(found[0]), list(found[1]))
    accepted: list[Submission] = []
    seen: dict[tuple[str, str], str] = {}
    for path in files:
        try:
            submission = read_submission(path)
            check_belongs(submission, pack)
        except SubmissionError as exc:
            rejected.append(Rejected(str(path), str(exc)))
            continue
        key = (" ".join(submission.student.casefold().split()), submission.scenario)
        if key in seen:
            message = (
                f"duplicate: {submission.student} already submitted {submission.scenario} in {seen[key]}"
            )
            rejected.append(Rejected(str(path), message))
            continue
        seen[key] = str(path)
        accepted.append(submission)
    scenarios = [pack.scenario(s) for s in dict.fromkeys(s.scenario for s in accepted)]
    # the codings feedback runs, each with the facts read off its scenario (grouping)
    needed = [c for sc in scenarios for c in Analyst.alternatives(sc.read(sc.reference))]
    analyst.prefetch([*needed, *(pack.scenario(s.scenario).read(s.plain_facts()) for s in accepted)])
    graded = tuple(feedback(submission, pack, analyst) for submission in accepted)
    return ClassGrades(pack, graded, tuple(rejected))


def check_belongs(submission: Submission, pack: Pack) -> None:
    """Raise SubmissionError unless the submission is for a scenario of this pack and this version of it."""
    name = submission.file
    if submission.scenario not in pack.scenarios:
        raise SubmissionError(
            f"{name}: scenario: {submission.scenario!r} is not a scenario of the pack {pack.id} "
            "('advisor exercise list' shows them)"
        )
    if submission.pack is not None and submission.pack != pack.id:
        raise SubmissionError(f"{name}: pack: made for the pack {submission.pack!r}, not {pack.id!r}")
    if submission.pack_version is not None and submission.pack_version != pack.version:
        raise SubmissionError(
            f"{name}: pack_version: made with version {submission.pack_version} of the pack {pack.id}; "
            f"this is version {pack.version}"
        )
