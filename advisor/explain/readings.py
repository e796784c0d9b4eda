"""What the explanations say of a case with contested facts: the answers given, not one reading.

With contested facts the recommendation is what most readings give, and the explanations of how
and why-not follow one reading that gives it (``Recommendation.facts``). What is said of the case
itself is not that reading's: the precedents are searched with the plausible values
(``plausible_query``), and each single change of an answer is judged over the readings of the
other contested facts (``sensitivity_over_readings``). Without contested facts both are what they
always were: the facts, and ``sensitivity``.

Why-not judges each change it offers over the readings too (``why_not``: the case as given after the
change, as ``--set`` judges it); what stood in the way is read on the reading followed, and said to
be: ``reading_note`` and ``reading_premise`` mark a contested fact's value there as the reading's.
"""

from __future__ import annotations

from collections.abc import Iterable

from advisor.engine import Engine, Recommendation, reading_shares
from advisor.explain.memo import memo_for
from advisor.explain.sensitivity import Flip, Sensitivity, sensitivity
from advisor.explain.subject import FactChange
from advisor.facts import ASKED_FACTS, fact_label, scales, show
from advisor.optional import applies
from advisor.precedents import QueryValue, plausible


def plausible_query(rec: Recommendation) -> dict[str, QueryValue]:
    """Return a recommendation's facts as a precedent query (``precedents.plausible``)."""
    return plausible(rec.facts, rec.contested)


def sensitivity_over_readings(
    rec: Recommendation, engine: Engine, *, facts: Iterable[str] = ASKED_FACTS
) -> Sensitivity:
    """Return every single change of an answer that alters the recommendation.

    Without contested facts this is ``sensitivity``. With them, a contested fact set to one value
    is a change too, and each change is judged as the recommendation is: by what most readings of
    the contested facts left give. A contested fact's change carries its plausible values
    (``FactChange.given``): its ``before`` is only the value of the reading followed.
    """
    if not rec.contested:
        return sensitivity(rec, engine=engine, facts=facts)
    memo = memo_for(engine)
    base = {k: v for k, v in rec.facts.items() if k not in rec.contested}
    flips, tried = [], 0
    wanted = set(facts)
    for name in (n for n in ASKED_FACTS if n in wanted and applies(n, rec.facts)):
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


def reading_note(rec: Recommendation) -> str:
    """Say that why-not judges each change over the readings, that what stood in the way is the reading
    followed's, and what the answers are."""
    read = "; ".join(f"{fact_label(f)} {show(f, rec.facts.get(f))}" for f in rec.contested)
    answered = "; ".join(f"{fact_label(f)} {rec.contested_values(f)}" for f in rec.contested)
    return (
        f"Each change is judged over the readings of the contested facts, as --set judges it; what stood "
        f"in the way is read on the reading the reasoning follows ({read}); the answers are {answered}."
    )


def reading_premise(rec: Recommendation, rule: str, text: str) -> str:
    """Mark, in a premise that failed, a contested fact's value ("here: low") as the reading's."""
    for condition in rec.kb.rule(rule).facts:
        fact = condition.fact
        value = show(fact, rec.facts.get(fact))
        if fact in rec.contested and text == f"{condition.text} (here: {value})":
            answer = rec.contested_values(fact)
            return f"{condition.text} (in the reading followed: {value}; the answer: {answer})"
    return text
