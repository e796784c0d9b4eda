"""The readings of contested facts: every way of reading them, and the share of each outcome.

A case may say of a fact that sources disagree (several values). Each reading
gives one value to every contested fact; the recommendation follows what most
readings give. The readings are taken in the order of each fact's scale, not in the
order a file lists the values, so that listing ``[high, moderate]`` or ``[moderate,
high]`` gives the same advice, the same reading followed and the same explanation.
A contested fact that does not apply (``standing_commitment`` for a pair) is not
read several ways: every reading of it gives the same advice.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import product

from advisor.engine.beliefs import outcome_of
from advisor.engine.certainty import ranking
from advisor.facts import FactValue, scales
from advisor.optional import applies
from advisor.rulebase import KnowledgeBase

READINGS_LIMIT = 4096  # readings enumerated one by one; above it, a fixed-seed sample
READINGS_SAMPLE = 2048


def reading_shares(
    kb: KnowledgeBase, base: Mapping[str, FactValue], contested: Mapping[str, tuple[FactValue, ...]]
) -> tuple[dict[str, float], bool, dict[str, FactValue]]:
    """Return each outcome's share of the readings (most common first), whether they were sampled,
    and the first reading (in scale order) that gives the most common outcome.

    Each reading (one value per contested fact) is judged by the rule base's exact
    evaluator (``beliefs.outcome_of``, held equal to the engine by the tests);
    beyond ``READINGS_LIMIT`` readings a fixed-seed sample of ``READINGS_SAMPLE``
    stands in.
    """
    table = scales()
    contested = {n: tuple(sorted(v, key=table[n].rank)) for n, v in applying(base, contested).items()}
    names = list(contested)
    count = 1
    for name in names:
        count *= len(contested[name])
    sampled = count > READINGS_LIMIT
    if sampled:
        rng = random.Random(0)
        combos: Iterable[tuple[FactValue, ...]] = [
            tuple(rng.choice(contested[n]) for n in names) for _ in range(READINGS_SAMPLE)
        ]
    else:
        combos = product(*(contested[n] for n in names))
    counts: Counter[str] = Counter()
    first: dict[str, dict[str, FactValue]] = {}
    for combo in combos:
        facts = {**base, **dict(zip(names, combo, strict=True))}
        outcome = outcome_of(kb, facts)
        counts[outcome] += 1
        first.setdefault(outcome, facts)
    total = sum(counts.values())
    order = ranking({o: n / total for o, n in counts.items()})  # a tie goes the way a tie of beliefs goes
    return {o: counts[o] / total for o in order}, sampled, first[order[0]]


def applying(
    facts: Mapping[str, FactValue], contested: Mapping[str, tuple[FactValue, ...]]
) -> dict[str, tuple[FactValue, ...]]:
    """Return the contested facts that are read several ways: those that apply to these facts (a
    contested fact that does not, ``standing_commitment`` for a pair, cannot change the advice)."""
    return {name: values for name, values in contested.items() if applies(name, facts)}
