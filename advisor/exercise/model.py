"""Scenario packs as typed objects: the pack, its scenarios and its rubric.

A scenario is a brief for students (no coded facts, no outcome), the reference
coding with a justification for each fact, what actually happened, a debrief and
two or three discussion questions. A pack holds scenarios by id, with the rubric
that scores submissions. Reading them from files is ``advisor.exercise.pack``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from advisor.facts import FactValue, grouping_of
from advisor.strict import ProblemsError, StrictModel

PARTS = ("facts_that_matter", "other_facts", "prediction_history", "prediction_reference", "rationale")


class PackError(ProblemsError):
    """A pack that cannot be used; ``problems`` lists every finding as ``file: line N: field: what``."""


class Rubric(StrictModel):
    """How a submission is scored: the weight of each part (any scale; the score is out of 100)."""

    facts_that_matter: float = Field(
        default=50,
        ge=0,
        allow_inf_nan=False,
        description="Agreeing with the reference on the facts whose value can change its advice.",
    )
    other_facts: float = Field(
        default=15, ge=0, allow_inf_nan=False, description="Agreeing with the reference on the other facts."
    )
    prediction_history: float = Field(
        default=15, ge=0, allow_inf_nan=False, description="Predicting the outcome that actually happened."
    )
    prediction_reference: float = Field(
        default=10,
        ge=0,
        allow_inf_nan=False,
        description="Predicting the advisor's answer for the reference coding.",
    )
    rationale: float = Field(
        default=10,
        ge=0,
        allow_inf_nan=False,
        description="Giving a rationale of at least rationale_min_words words.",
    )
    rationale_min_words: int = Field(
        default=8, ge=0, description="The shortest rationale that earns its points."
    )

    @model_validator(mode="after")
    def _some_weight(self) -> Rubric:
        if self.total <= 0:
            raise ValueError("at least one weight must be above 0")
        if not math.isfinite(self.total):
            raise ValueError("the weights are too large to add up; give them on a smaller scale")
        return self

    @property
    def total(self) -> float:
        """Return the sum of the weights."""
        return sum(self.weight(p) for p in PARTS)

    def weight(self, part: str) -> float:
        """Return the weight of one part of the score."""
        return float(getattr(self, part))

    def points(self, part: str) -> float:
        """Return how many of the 100 points a part is worth."""
        return 100 * self.weight(part) / self.total


@dataclass(frozen=True)
class Scenario:
    """One exercise: what students read, and (in an instructor's pack) the reference and the debrief."""

    id: str
    title: str
    parties: tuple[str, ...]
    year: int
    brief: str
    sources: tuple[str, ...]
    file: str
    questions: tuple[str, ...] = ()
    reference: dict[str, FactValue] = field(default_factory=dict)  # empty in a students' copy
    why: dict[str, str] = field(default_factory=dict)  # the justification of each reference value
    actual: str | None = None
    debrief: str | None = None
    case: str | None = None  # the case-library file the scenario was drawn from

    @property
    def derived(self) -> dict[str, FactValue]:
        """Return the facts read off the scenario rather than coded: ``grouping``, from its parties,
        as a case file's is (three or more make a group)."""
        return {"grouping": grouping_of(list(self.parties))}

    def read(self, coding: dict[str, FactValue]) -> dict[str, FactValue]:
        """Return a coding of this scenario as the advisor runs it: with the facts read off the scenario."""
        return {**self.derived, **coding}

    def listing(self) -> dict[str, Any]:
        """Return what ``exercise list --json`` shows: nothing a student could read the answer from."""
        return {"id": self.id, "title": self.title, "year": self.year, "parties": list(self.parties)}


@dataclass(frozen=True)
class Pack:
    """A scenario pack: its identity and version, its rubric, and its scenarios by id."""

    id: str
    title: str
    version: str
    rubric: Rubric
    scenarios: dict[str, Scenario]
    directory: Path
    for_students: bool = False
    description: str | None = None

    def scenario(self, scenario_id: str) -> Scenario:
        """Return a scenario by id, or raise KeyError."""
        return self.scenarios[scenario_id]
