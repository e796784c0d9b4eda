"""A case with contested facts, changed: what most of its readings give after a change of its answers.

A case with contested facts is recommended what most of its readings give
(``readings.reading_shares``). A change of its answers is judged the same way: by
what most readings of the contested facts left give after it -- exactly what
``advise`` reports on the case edited so, the tie order and the fixed-seed sample
of a huge space included. That is what a one-notch change must alter for a fact to
count among ``hinges_on`` (``hinges_over_readings``), and what why-not's changes must give.

``AsGiven`` works on the bit masks of the exact evaluator (``masks``): the readings of
the contested facts left are turned into masks once, a reading that no rule tells from
another counting as the same mask, and a change only ANDs the masks of the other facts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from advisor.engine.certainty import ranking
from advisor.engine.masks import hinges, masks_of, one_notch
from advisor.engine.readings import applying, readings_of
from advisor.facts import FactValue
from advisor.rulebase import KnowledgeBase

_NOT_GIVEN = None  # the key of the mask for a fact left out (as in ``masks``)
MANY = 100  # readings judged one by one cost about as much as one reading in three values
_REMEMBERED = 1 << 16  # at most this many readings' outcomes are remembered
_SPACES = 256  # and the readings left by at most this many sets of contested facts


class AsGiven:
    """A case's answers, some contested, judged by what most readings give after changes of them."""

    def __init__(
        self,
        kb: KnowledgeBase,
        facts: Mapping[str, FactValue],
        contested: Mapping[str, tuple[FactValue, ...]],
    ):
        self.masks = masks_of(kb)
        self.contested = applying(facts, contested)
        self.base = {k: v for k, v in facts.items() if k not in self.contested}
        self._spaces: dict[tuple[str, ...], tuple[tuple[int, int], ...]] = {}
        self._judged: dict[int, str] = {}  # a reading's outcome by the rules whose fact conditions hold
        # a reading of the case as given, by the rules whose fact conditions hold: fired, totals, outcome
        self._given: dict[int, tuple[int, dict[str, float], str]] = {}
        self.judged = 0  # the readings judged so far (and turned into masks): the work done
        self._holds = self._after({})[0]

    def outcome(self, changes: Mapping[str, FactValue] | None = None) -> str:
        """Return the outcome of the case after the changes: what most readings give (ties: the tie order)."""
        return top(self.counts(changes or {}))

    def counts(self, changes: Mapping[str, FactValue], stop: str | None = None) -> Counter[str]:
        """Return how many readings give each outcome after the changes (a contested fact set by a change is
        no longer read several ways); with ``stop``, only until it is settled whether ``stop`` comes first."""
        holds, space = self._after(changes)
        found: Counter[str] = Counter()
        left = sum(count for _, count in space)
        mine = best = 0  # the readings that give ``stop``, and the most that give any one other outcome
        for mask, count in space:
            outcome = self._outcome(holds & mask, self._holds & mask)
            found[outcome] += count
            left -= count
            self.judged += 1
            if stop is not None and left:
                if outcome == stop:
                    mine += count
                elif found[outcome] > best:
                    best = found[outcome]
                if mine > best + left or best > mine + left:  # settled, whatever the readings left give
                    break
        return found

    def is_outcome(self, changes: Mapping[str, FactValue], outcome: str) -> bool:
        """Say whether the case after the changes is recommended ``outcome`` (as ``outcome(changes) ==
        outcome``), stopping as soon as the readings judged settle it."""
        return top(self.counts(changes, stop=outcome)) == outcome

    def outcomes(self) -> tuple[set[str], bool]:
        """Return the outcomes some reading of the contested facts gives (exactly: each reading judged),
        and whether the readings were a sample (``readings_of``: then some outcome may be missing)."""
        names = tuple(self.contested)
        sampled = readings_of(self.contested)[2]
        return {
            self._outcome(self._holds & mask, self._holds & mask) for mask, _ in self._space(names)
        }, sampled

    def many(self, changes: Mapping[str, FactValue]) -> bool:
        """Say whether the changes leave many readings to judge (more than ``MANY``)."""
        count = 1
        for name in self.contested:
            if name not in changes:
                count *= len(self.contested[name])
        return count > MANY

    def _after(self, changes: Mapping[str, FactValue]) -> tuple[int, tuple[tuple[int, int], ...]]:
        """Return the rules the facts not read several ways let hold, and the readings left (mask, count)."""
        left = tuple(name for name in self.contested if name not in changes)
        facts = {**self.base, **changes}
        holds = -1
        for fact, masks in self.masks.by_value.items():
            if fact not in left:
                holds &= masks[facts.get(fact, _NOT_GIVEN)]
        return holds, self._space(left)

    def _space(self, left: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
        """Return the readings of the contested facts left, as masks, with how many readings each one is."""
        found = self._spaces.get(left)
        if found is None:
            by_value = self.masks.by_value
            names, combos, _ = readings_of({name: self.contested[name] for name in left})
            masks: Counter[int] = Counter()
            for combo in combos:
                mask = -1
                for name, value in zip(names, combo, strict=True):
                    mask &= by_value[name][value]
                masks[mask] += 1
            if len(self._spaces) >= _SPACES:
                self._spaces.clear()
            found = self._spaces[left] = tuple(masks.items())
            self.judged += len(found)
        return found

    def _outcome(self, holds: int, given: int) -> str:
        """Return the outcome of one reading from the rules whose fact conditions hold, worked out (as
        ``masks.hinges`` does) from the same reading of the case as given (its rules that hold: ``given``)."""
        found = self._judged.get(holds)
        if found is not None:
            return found
        masks = self.masks
        before = self._given.get(given)
        if before is None:
            if len(self._given) >= _REMEMBERED:
                self._given.clear()
            fired = masks.settle(given)
            totals = masks.totals(fired)
            before = self._given[given] = (fired, totals, masks.best(totals))
        fired_before, totals, outcome = before
        moved = holds ^ given
        fired = fired_before ^ moved if not moved & masks.gated else masks.settle(holds)
        changed = fired ^ fired_before
        if changed:
            outcome = masks.best_after(fired, totals, changed)
        if len(self._judged) >= _REMEMBERED:
            self._judged.clear()
        self._judged[holds] = outcome
        return outcome


def top(counts: Counter[str]) -> str:
    """Return the outcome most readings give, a tie broken as ``reading_shares`` breaks it."""
    total = sum(counts.values())
    return ranking({o: n / total for o, n in counts.items()})[0]


def hinges_over_readings(
    kb: KnowledgeBase,
    facts: Mapping[str, FactValue],
    outcome: str,
    contested: Mapping[str, tuple[FactValue, ...]],
) -> tuple[str, ...]:
    """Return the answered facts a one-notch change of which alters the outcome of a case, in the documented
    order: with contested facts, what most readings give (``masks.hinges`` judged over the readings);
    without, ``masks.hinges`` itself. ``Recommendation.hinges_on`` and ``evaluate`` both ask here.

    ``facts`` may be any reading of the case (the moves of the facts not contested are the same).
    """
    if not contested:
        return hinges(kb, facts, outcome)
    case = AsGiven(kb, facts, contested)
    found: list[str] = []
    for fact, value in one_notch(facts):
        if fact not in found and fact not in contested and not case.is_outcome({fact: value}, outcome):
            found.append(fact)
    return tuple(found)


__all__ = ["AsGiven", "hinges_over_readings", "top"]
