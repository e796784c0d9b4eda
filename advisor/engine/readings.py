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
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from advisor.engine.beliefs import outcome_of
from advisor.engine.certainty import ranking
from advisor.facts import FactValue, scales
from advisor.optional import applies_in_a_reading
from advisor.rulebase import KnowledgeBase

READINGS_LIMIT = 4096  # readings enumerated one by one; above it, a fixed-seed sample
READINGS_SAMPLE = 2048


def reading_shares(
    kb: KnowledgeBase, base: Mapping[str, FactValue], contested: Mapping[str, tuple[FactValue, ...]]
) -> tuple[dict[str, float], bool, dict[str, FactValue]]:
    """Return each outcome's share of the readings (most common first), whether they were sampled,
    and the first reading (in scale order) that gives the most common outcome (``Readings.shares``)."""
    return Readings.of(kb, base, contested).shares()


@dataclass(frozen=True)
class Readings:
    """Every reading of the contested facts on top of the other facts, with the outcome each gives.

    Each reading (one value per contested fact) is judged by the rule base's exact evaluator
    (``beliefs.outcome_of``, held equal to the engine by the tests); beyond ``READINGS_LIMIT``
    readings a fixed-seed sample of ``READINGS_SAMPLE`` stands in (``sampled``).
    """

    base: Mapping[str, FactValue]
    names: tuple[str, ...]
    combos: tuple[tuple[FactValue, ...], ...]  # the readings as drawn (a sample may repeat one)
    outcomes: dict[tuple[FactValue, ...], str]  # each distinct reading -> its outcome
    sampled: bool

    @classmethod
    def of(
        cls, kb: KnowledgeBase, base: Mapping[str, FactValue], contested: Mapping[str, tuple[FactValue, ...]]
    ) -> Readings:
        """Judge every reading of the contested facts that apply to these facts (``applying``)."""
        names, combos, sampled = readings_of(applying(base, contested))
        outcomes = {
            c: outcome_of(kb, {**base, **dict(zip(names, c, strict=True))}) for c in dict.fromkeys(combos)
        }
        return cls(base, names, combos, outcomes, sampled)

    def shares(self) -> tuple[dict[str, float], bool, dict[str, FactValue]]:
        """Return each outcome's share (most common first), whether the readings were sampled, and the
        first reading that gives the most common outcome (a sample may draw a reading twice: each counts)."""
        counts: Counter[str] = Counter()
        first: dict[str, tuple[FactValue, ...]] = {}
        for combo in self.combos:
            outcome = self.outcomes[combo]
            counts[outcome] += 1
            first.setdefault(outcome, combo)
        total = sum(counts.values())
        order = ranking({o: n / total for o, n in counts.items()})  # a tie goes the way a tie of beliefs goes
        reading = {**self.base, **dict(zip(self.names, first[order[0]], strict=True))}
        return {o: counts[o] / total for o in order}, self.sampled, reading

    def splitting(self) -> tuple[str, ...] | None:
        """Return the contested facts that split the readings: those two readings that differ in that
        fact alone give different outcomes (a fact that never does cannot change the advice, whatever
        the others read). Empty when every reading gives one outcome; None when the readings were
        sampled, and so cannot be compared in pairs."""
        if self.sampled:
            return None
        found = []
        for index, name in enumerate(self.names):
            seen: dict[tuple[FactValue, ...], str] = {}
            for combo, outcome in self.outcomes.items():
                others = combo[:index] + combo[index + 1 :]
                if seen.setdefault(others, outcome) != outcome:
                    found.append(name)
                    break
        return tuple(found)


def readings_of(
    contested: Mapping[str, tuple[FactValue, ...]],
) -> tuple[tuple[str, ...], tuple[tuple[FactValue, ...], ...], bool]:
    """Return the contested facts' names, their readings (one value each, in the order of the names) as
    ``reading_shares`` takes them, and whether they are a sample: every combination in scale order
    up to ``READINGS_LIMIT``, beyond it ``READINGS_SAMPLE`` drawn with a fixed seed."""
    table = scales()
    names = tuple(contested)
    combos, sampled = _readings(tuple(tuple(sorted(contested[n], key=table[n].rank)) for n in names))
    return names, combos, sampled


@lru_cache(maxsize=64)
def _readings(values: tuple[tuple[FactValue, ...], ...]) -> tuple[tuple[tuple[FactValue, ...], ...], bool]:
    """Return the readings of facts with these values, and whether they are a sample (``readings_of``);
    remembered, since a case's are taken again for each change of its other answers."""
    count = 1
    for each in values:
        count *= len(each)
    if count > READINGS_LIMIT:
        rng = random.Random(0)
        return tuple(tuple(rng.choice(each) for each in values) for _ in range(READINGS_SAMPLE)), True
    return tuple(product(*values)), False


def applying(
    facts: Mapping[str, FactValue], contested: Mapping[str, tuple[FactValue, ...]]
) -> dict[str, tuple[FactValue, ...]]:
    """Return the contested facts that are read several ways: those that apply to these facts (a
    contested fact that does not, ``standing_commitment`` for a pair, cannot change the advice). A
    fact that applies only to a grouping applies when ``grouping`` is itself read as true in some
    reading: those readings must read the fact each way too."""
    return {name: ways for name, ways in contested.items() if applies_in_a_reading(name, facts, contested)}
