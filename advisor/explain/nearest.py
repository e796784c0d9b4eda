"""The changes of a case's facts after which a target can still win, found in bulk on the bit masks.

Why-not tries the changes of one fact, then of two, then of three, each size fewest steps first,
and keeps the first that the engine recommends the target for. Most changes cannot give it; the
three-valued reading of the rule base says which (``relevance.may_recommend``), but one change at
a time, at a fraction of a millisecond each, and a group of parties offers thousands of changes of
three facts. For a final set of facts that reading is two-valued, and it is exactly what the bit
masks of the exact evaluator (``engine.masks``) compute: the same rules hold, each outcome's
evidence is combined in the same order, and the target may win just when no other outcome beats
it (``certainty.beats``, as ``relevance.possible`` asks; ``Masks.unbeaten``). ``Nearest`` keeps
exactly the changes ``may_recommend`` would keep, having read each with a few ANDs: the masks of
the facts left alone are ANDed once per set of facts changed, and a set of rules that hold is judged
once however many changes lead to it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import combinations, pairwise

from advisor.engine.masks import masks_of
from advisor.facts import FactValue
from advisor.rulebase import KnowledgeBase

Option = tuple[str, list[tuple[FactValue, int]]]  # a fact, and each value it may change to with its steps
Ranked = tuple[int, tuple[int, ...], tuple[int, ...]]  # (steps, the facts chosen, their values chosen)


class Nearest:
    """The changes of a case's facts after which a target may win, for ``why_not``'s search."""

    def __init__(self, kb: KnowledgeBase, facts: Mapping[str, FactValue], options: list[Option], target: str):
        self.masks = masks_of(kb)
        self.target = target
        varied = [name for name, _ in options]
        self.fixed = -1  # the rules the facts never changed let hold
        for fact, table in self.masks.by_value.items():
            if fact not in varied:
                self.fixed &= table[facts.get(fact)]
        now = [self.masks.by_value[name][facts.get(name)] for name in varied]
        # the AND of the masks of the facts varied from i up to (not including) j, as they are
        self.between = [[_and(now[i:j]) for j in range(len(now) + 1)] for i in range(len(now) + 1)]
        self.values = [
            [(self.masks.by_value[name][value], steps) for value, steps in moves] for name, moves in options
        ]
        self.verdicts: dict[int, bool] = {}  # whether the target may win, by the rules that hold

    def possible(self, count: int) -> Iterator[Ranked]:
        """Yield every change of exactly ``count`` facts after which the target may win (``may_recommend``
        on the facts changed), fewest steps first, then in the order of the options and of their values:
        the order of ``why_not``'s candidates. A change is judged only when it is its turn."""
        between, last, verdicts = self.between, len(self.values), self.verdicts
        by_steps: dict[int, list[tuple[tuple[int, ...], tuple[int, ...], int]]] = {}
        for chosen in combinations(range(last), count):  # in order; and so the values of each
            left = self.fixed & between[0][chosen[0]] & between[chosen[-1] + 1][last]
            for i, j in pairwise(chosen):
                left &= between[i + 1][j]
            partial: list[tuple[int, int, tuple[int, ...]]] = [(left, 0, ())]
            for i in chosen:
                partial = [
                    (holds & mask, total + steps, (*picks, j))
                    for holds, total, picks in partial
                    for j, (mask, steps) in enumerate(self.values[i])
                ]
            for holds, total, picks in partial:
                by_steps.setdefault(total, []).append((chosen, picks, holds))
        for total in sorted(by_steps):
            for chosen, picks, holds in by_steps[total]:
                verdict = verdicts.get(holds)
                if verdict is None:
                    verdict = verdicts[holds] = self.masks.unbeaten(self.masks.settle(holds), self.target)
                if verdict:
                    yield total, chosen, picks


def _and(masks: list[int]) -> int:
    found = -1
    for mask in masks:
        found &= mask
    return found


__all__ = ["Nearest", "Option", "Ranked"]
