"""The analysis step of a brief: everything the brief reports, worked out before any block is built.

``findings`` runs the engine (through the explanations) and the precedent search once;
the block builder (``build``) and the writers only read what it found.

With contested facts the recommendation is what most readings give, and the explanations follow
one reading that gives it. What the brief says of the case itself is not one reading's: the
precedents are searched with the plausible values (``plausible_query``), and each single change
of an answer is judged over the readings of the other contested facts (``sensitivity_over_readings``),
as ``advisor explain`` does (both in ``advisor.explain.readings``).

A what-if brief (``changes``, as ``advisor explain --set`` takes them) reports the case with the changes
made (``WhatIf.after``): every finding is of the changed case; only ``what_if`` speaks of the case as given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from advisor.engine import Engine, Recommendation
from advisor.explain import (
    How,
    Sensitivity,
    Subject,
    WhatIf,
    WhyNot,
    engine_for,
    how,
    plausible_query,
    recommendation_of,
    sensitivity_over_readings,
    what_if,
    why_not,
)
from advisor.explain.subject import Setting
from advisor.outcomes import neighbours
from advisor.precedents import Precedents, precedents


@dataclass(frozen=True)
class Findings:
    """What a brief reports about one recommendation."""

    rec: Recommendation
    how: How
    sensitivity: Sensitivity
    why_not: tuple[WhyNot, ...]  # one per neighbouring outcome, in ladder order
    precedents: Precedents  # the closest library arrangements, never the case itself
    what_if: WhatIf | None = None  # a what-if brief's changes, and the case as given (``before``)


def findings(
    subject: Subject, *, engine: Engine | None = None, changes: Mapping[str, Setting | None] | None = None
) -> Findings:
    """Return what the brief of a case (or facts, or a Recommendation) reports: the recommendation, how it
    was reached, its sensitivity, why not each neighbouring outcome, and the closest precedents; with
    ``changes`` (fact -> value, a tuple of values read each way, or None: unknown), all of the changed
    case, and the what-if that compares it with the case as given. Raise ValueError for an invalid change."""
    engine = engine_for(subject, engine)
    rec = recommendation_of(subject, engine)
    compared = what_if(rec, changes, engine=engine) if changes else None
    if compared is not None:
        rec = compared.after
    robustness = sensitivity_over_readings(rec, engine)
    near = neighbours(rec.outcome, [*(f.outcome for f in robustness.flips), rec.runner_up])
    return Findings(
        rec=rec,
        how=how(rec),
        sensitivity=robustness,
        why_not=tuple(why_not(rec, target, engine=engine) for target in near),
        precedents=precedents(plausible_query(rec), exclude=rec.case, kb=engine.kb),
        what_if=compared,
    )
