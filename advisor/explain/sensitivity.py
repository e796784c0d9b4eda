"""Sensitivity: every single-fact change that alters the recommendation, and so how fragile it is."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from advisor.engine import Engine
from advisor.explain.memo import memo_for
from advisor.explain.subject import FactChange, Subject, resolve
from advisor.facts import ASKED_FACTS, fact_label, join, scales
from advisor.optional import applies
from advisor.outcomes import label


@dataclass(frozen=True)
class Flip:
    """A single-fact change that changes the recommendation."""

    change: FactChange
    outcome: str
    rule: str

    def to_dict(self) -> dict[str, Any]:
        """Return the flip as JSON data."""
        return {**self.change.to_dict(), "recommendation": self.outcome, "deciding_rule": self.rule}


@dataclass(frozen=True)
class Sensitivity:
    """Every single-fact change that changes the recommendation, and how many were tried."""

    case: str | None
    outcome: str
    flips: tuple[Flip, ...]
    tried: int
    over_readings: bool = False  # each change judged over the readings of contested facts

    @property
    def stable(self) -> bool:
        """Return True when no single-fact change alters the recommendation."""
        return not self.flips

    @property
    def hinges_on(self) -> tuple[str, ...]:
        """Return the facts some change of which alters the recommendation, in the documented fact order."""
        return tuple(dict.fromkeys(f.change.fact for f in self.flips))

    def by_fact(self) -> dict[str, tuple[Flip, ...]]:
        """Return the flips grouped by fact, in the documented fact order."""
        return {name: tuple(f for f in self.flips if f.change.fact == name) for name in self.hinges_on}

    def summary(self) -> str:
        """Say in one sentence how robust the recommendation is."""
        if self.stable:
            return (
                f"Stable under every single change: none of the {self.tried} single-fact changes "
                f"alters the recommendation of {label(self.outcome)}."
            )
        facts = join(fact_label(f) for f in self.hinges_on)
        return (
            f"Hinges on {facts}: {len(self.flips)} of {self.tried} single-fact changes "
            f"alter the recommendation of {label(self.outcome)}."
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the analysis as JSON data."""
        return {
            "case": self.case,
            "recommendation": self.outcome,
            "stable": self.stable,
            "summary": self.summary(),
            "tried": self.tried,
            "hinges_on": list(self.hinges_on),
            "flips": [f.to_dict() for f in self.flips],
            **({"over_readings": True} if self.over_readings else {}),
        }


def sensitivity(
    subject: Subject, *, engine: Engine | None = None, facts: Iterable[str] = ASKED_FACTS
) -> Sensitivity:
    """Run every single-fact change of the given facts (unknown ones included; by default all of them)
    and keep those that alter the outcome."""
    engine, rec = resolve(subject, engine)
    memo = memo_for(engine)
    flips = []
    tried = 0
    wanted = set(facts)
    for name in (n for n in ASKED_FACTS if n in wanted and applies(n, rec.facts)):
        for value in scales()[name].values:
            if rec.facts.get(name) == value:
                continue
            tried += 1
            outcome, rule = memo.outcome({**rec.facts, name: value})
            if outcome != rec.outcome:
                flips.append(Flip(FactChange(name, rec.facts.get(name), value), outcome, rule))
    return Sensitivity(rec.case, rec.outcome, tuple(flips), tried)
