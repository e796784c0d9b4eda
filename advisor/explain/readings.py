"""What the explanations say of a case with contested facts: the answers given, not one reading.

With contested facts the recommendation is what most readings give, and the explanations of how
and why-not follow one reading that gives it (``Recommendation.facts``). What is said of the case
itself is not that reading's: the precedents are searched with the plausible values
(``plausible_query``), and each single change of an answer is judged over the readings of the
other contested facts (``sensitivity_over_readings``). Without contested facts both are what they
always were: the facts, and ``sensitivity``.
"""

from __future__ import annotations

from advisor.engine import Engine, Recommendation, reading_shares
from advisor.explain.memo import memo_for
from advisor.explain.sensitivity import Flip, Sensitivity, sensitivity
from advisor.explain.subject import FactChange
from advisor.facts import FACT_NAMES, scales
from advisor.precedents import QueryValue


def plausible_query(rec: Recommendation) -> dict[str, QueryValue]:
    """Return a recommendation's facts as a precedent query: a contested fact as its plausible values
    (not the value of the reading followed), one contested over its whole scale left out as unknown."""
    query: dict[str, QueryValue] = dict(rec.facts)
    for name, values in rec.contested.items():
        query[name] = None if scales()[name].says_nothing(values) else list(values)
    return query


def sensitivity_over_readings(rec: Recommendation, engine: Engine) -> Sensitivity:
    """Return every single change of an answer that alters the recommendation.

    Without contested facts this is ``sensitivity``. With them, a contested fact set to one value
    is a change too, and each change is judged as the recommendation is: by what most readings of
    the contested facts left give. A contested fact's change carries its plausible values
    (``FactChange.given``): its ``before`` is only the value of the reading followed.
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
                change = FactChange(name, rec.facts.get(name), value, rec.contested.get(name, ()))
                flips.append(Flip(change, outcome, memo.outcome(reading)[1]))
    return Sensitivity(rec.case, rec.outcome, tuple(flips), tried, over_readings=True)
