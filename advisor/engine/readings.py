"""The readings of contested facts: every way of reading them, and the share of each outcome.

A case may say of a fact that sources disagree (several values). Each reading
gives one value to every contested fact; the recommendation follows what most
readings give.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import product

from advisor.engine.beliefs import outcome_of
from advisor.engine.certainty import ranking
from advisor.facts import FactValue
from advisor.rulebase import KnowledgeBase

READINGS_LIMIT = 4096  # readings enumerated one by one; above it, a fixed-seed sample
READINGS_SAMPLE = 2048


def reading_shares(
    kb: KnowledgeBase, base: Mapping[str, FactValue], contested: Mapping[str, tuple[FactValue, ...]]
) -> tuple[dict[str, float], bool, dict[str, FactValue]]:
    """Return each outcome's share of the readings (most common first), whether they were sampled,
    and the first reading that gives the most common outcome.

    Each reading (one value per contested fact) is judged by the rule base's exact
    evaluator (``beliefs.outcome_of``, held equal to the engine by the tests);
    beyond ``READINGS_LIMIT`` readings a fixed-seed sample of ``READINGS_SAMPLE``
    stands in.
    """
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
