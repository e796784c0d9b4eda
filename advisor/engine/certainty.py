"""Certainty factors: how evidence for and against an outcome adds up, and how a winner is read.

This is the one place the resolution policy lives (rule POL-01 of the knowledge
base runs it inside the engine; the run's ranking of beliefs, the exact
evaluator, the readings of contested facts, the questionnaire's relevance and
the explanations call the same functions). It is EMYCIN's calculus (Shortliffe and
Buchanan, 1975; Norvig, *PAIP*, ch. 16): each rule contributes a certainty factor
between -1 and 1 to one outcome, and two factors combine as

* both positive: ``a + b - a*b``;
* both negative: ``a + b + a*b``;
* mixed signs: ``(a + b) / (1 - min(|a|, |b|))``.

The combination is commutative and associative, so the order in which rules fire
does not matter; it never leaves (-1, 1); and each new piece of evidence moves
the belief in the direction of its sign, with diminishing effect. That is what
makes the advice degrade gracefully: one contestable fact shifts a belief by a
bounded amount instead of opening or shutting a gate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cmp_to_key, reduce
from typing import Literal

from advisor.outcomes import OUTCOME_IDS, TIERS

Confidence = Literal["clear", "leaning", "close"]

# How far the recommended outcome must lead the runner-up. Fixed before any
# measurement on the sealed split, never tuned on it. A clear lead must also hold
# when any one answer moves one notch (``masks.hinges``): chosen on the development
# split, where leads of 0.25 that held were right 17 times in 18, and those that did
# not 32 times in 44.
CLEAR_MARGIN = 0.25
LEANING_MARGIN = 0.10

# Exact ties are broken towards the less binding, more common tie: the ladder
# from the bottom, then a coalition, then an alliance.
TIE_ORDER: tuple[str, ...] = (*TIERS, "coalition", "alliance")
assert sorted(TIE_ORDER) == sorted(OUTCOME_IDS)

TOLERANCE = 1e-9  # beliefs this close are equal: the order of combination must never decide


def combine(a: float, b: float) -> float:
    """Combine two certainty factors with EMYCIN's function."""
    if a >= 0 and b >= 0:
        total = a + b - a * b
    elif a < 0 and b < 0:
        total = a + b + a * b
    else:
        total = (a + b) / (1 - min(abs(a), abs(b)))
    return total


def combine_all(factors: Iterable[float]) -> float:
    """Combine any number of certainty factors (0.0 for none)."""
    return reduce(combine, factors, 0.0)


def beats(a: str, belief_a: float, b: str, belief_b: float) -> bool:
    """Say whether outcome ``a`` ranks above ``b``: higher belief, or the tie order on a tie."""
    if abs(belief_a - belief_b) > TOLERANCE:
        return belief_a > belief_b
    return TIE_ORDER.index(a) < TIE_ORDER.index(b)


def ranking(beliefs: Mapping[str, float]) -> list[str]:
    """Return the outcomes from best to worst supported."""
    order: list[str] = sorted(beliefs, key=TIE_ORDER.index)

    def compare(a: str, b: str) -> int:  # -1 if beats(a, beliefs[a], b, beliefs[b]) else 1, written out
        belief_a, belief_b = beliefs[a], beliefs[b]
        if abs(belief_a - belief_b) > TOLERANCE:
            return -1 if belief_a > belief_b else 1
        return -1 if TIE_ORDER.index(a) < TIE_ORDER.index(b) else 1

    return sorted(order, key=cmp_to_key(compare))


def confidence(margin: float, *, holds: bool = True) -> Confidence:
    """Name how far ahead the recommended outcome is: clear only if the lead also ``holds``.

    ``holds`` says that no one-notch change of a single answer, and no reading of a
    contested one, takes the lead away: the differences two careful coders have.
    """
    if margin >= CLEAR_MARGIN and holds:
        return "clear"
    return "leaning" if margin >= LEANING_MARGIN else "close"


def clarity(
    margin: float, *, outcome: str, readings: Mapping[str, float], hinges_on: Sequence[str]
) -> Confidence:
    """Say how clear an outcome's lead is, as the user is told: a wide lead is clear only if it holds.

    It holds when every reading of the contested facts gives the outcome (``readings``: each
    outcome's share; empty when nothing is contested) and no one-notch change of an answer
    alters it (``hinges_on`` empty). An outcome that only half of the readings give, or fewer,
    is a close call whatever its lead: that lead is the one inside the reading followed, and the
    other readings give another outcome (``split``). ``Recommendation.confidence`` and ``evaluate``
    both ask here.
    """
    if split(readings, outcome):
        return "close"
    return confidence(margin, holds=robust(readings, outcome) and not hinges_on)


def split(readings: Mapping[str, float], outcome: str) -> bool:
    """Say whether the readings of the contested facts split on the outcome: no more than half of
    them give it (none contested: none split)."""
    return readings.get(outcome, 1.0) <= 0.5


def robust(readings: Mapping[str, float], outcome: str) -> bool:
    """Say whether every reading of the contested facts gives the outcome (none contested: it does)."""
    return readings.get(outcome, 1.0) >= 1.0


def lead(beliefs: Mapping[str, float], outcome: str) -> tuple[str | None, float]:
    """Return the runner-up of an outcome among beliefs ranked best first, and the outcome's lead over it.

    The lead (the ``margin`` that ``confidence`` names) is rounded to 6 places; it is
    1.0 when no other outcome is ranked.
    """
    runner_up = next((o for o in beliefs if o != outcome), None)
    margin = round(beliefs[outcome] - beliefs[runner_up], 6) if runner_up else 1.0
    return runner_up, margin


def bounds(certain: Iterable[float], possible: Iterable[float]) -> tuple[float, float]:
    """Return the lowest and highest belief reachable when some possible evidence may or may not come.

    Combination is monotone in every argument, so the lowest belief takes every
    possible negative factor and no possible positive one, and the highest the reverse.
    """
    sure = list(certain)
    maybe = list(possible)
    low = combine_all([*sure, *(f for f in maybe if f < 0)])
    high = combine_all([*sure, *(f for f in maybe if f > 0)])
    return low, high
