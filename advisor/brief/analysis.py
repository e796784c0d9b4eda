"""The analysis step of a brief: everything the brief reports, worked out before any block is built.

``findings`` runs the engine (through the explanations) and the precedent search once;
the block builder (``build``) and the writers only read what it found.

With contested facts the recommendation is what most readings give, and the explanations follow
one reading that gives it. What the brief says of the case itself is not one reading's: the
precedents are searched with the plausible values (``plausible_query``), and each single change
of an answer is judged over the readings of the other contested facts (``sensitivity_over_readings``).
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.engine import Engine, Recommendation, reading_shares
from advisor.explain import (
    Flip,
    How,
    Sensitivity,
    Subject,
    WhyNot,
    engine_for,
    how,
    recommendation_of,
    sensitivity,
    why_not,
)
from advisor.explain.memo import memo_for
from advisor.explain.subject import FactChange
from advisor.facts import FACT_NAMES, scales
from advisor.outcomes import neighbours
from advisor.precedents import Precedents, QueryValue, precedents


@dataclass(frozen=True)
class Findings:
    """What a brief reports about one recommendation."""

    rec: Recommendation
    how: How
    sensitivity: Sensitivity
    why_not: tuple[WhyNot, ...]  # one per neighbouring outcome, in ladder order
    precedents: Precedents  # the closest library arrangements, never the case itself


def findings(subject: Subject, *, engine: Engine | None = None) -> Findings:
    """Return what the brief of a case (or facts, or a Recommendation) reports: the recommendation, how it
    was reached, its sensitivity, why not each neighbouring outcome, and the closest precedents."""
    engine = engine_for(subject, engine)
    rec = recommendation_of(subject, engine)
    robustness = sensitivity_over_readings(rec, engine)
    near = neighbours(rec.outcome, [*(f.outcome for f in robustness.flips), rec.runner_up])
    return Findings(
        rec=rec,
        how=how(rec),
        sensitivity=robustness,
        why_not=tuple(why_not(rec, target, engine=engine) for target in near),
        precedents=precedents(plausible_query(rec), exclude=rec.case, kb=engine.kb),
    )


def plausible_query(rec: Recommendation) -> dict[str, QueryValue]:
    """Return a recommendation's facts as a precedent query: a contested fact as its plausible values
    (not the value of the reading followed), one contested over its whole scale left out as unknown."""
    query: dict[str, QueryValue] = dict(rec.facts)
    for name, values in rec.contested.items():
        query[name] = None if scales()[name].says_nothing(values) else list(values)
    return query


def sensitivity_over_readings(rec: Recommendation, engine: Engine) -> Sensitivity:
    """Return every single change of an answer that alters the recommendation.

    Without contested facts this is ``explain.sensitivity``. With them, a contested fact set to one
    value is a change too, and each change is judged as the recommendation is: by what most readings
    of the contested facts left give. A flip's ``before`` is then the reading's value; the brief shows
    a contested fact's plausible values instead.
    """
    if not rec.contested:
        return sensitivity(rec, engine=engine)
    memo = memo_for(engine)
    base = {k: v for k, v in rec.facts.items() if k not in rec.contested}
    flips, tried = [], 0
    for name in FACT_NAMES:
        for value in scales()[name].values:
            if name not in rec.contested and rec.facts.get(name) == value:
                continue
            tried += 1
            others = {k: v for k, v in rec.contested.items() if k != name}
            shares, _, reading = reading_shares(engine.kb, {**base, name: value}, others)
            outcome = next(iter(shares))
            if outcome != rec.outcome:
                change = FactChange(name, rec.facts.get(name), value)
                flips.append(Flip(change, outcome, memo.outcome(reading)[1]))
    return Sensitivity(rec.case, rec.outcome, tuple(flips), tried)
