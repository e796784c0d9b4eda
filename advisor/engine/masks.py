"""The rule base as bit masks: the exact evaluator, fast enough to try every one-notch change of a case.

It reads the rule base exactly as ``beliefs`` does (an absent fact matches no
condition; rules stratum by stratum in the engine's order), and the tests hold the
two equal, but it works on integers. Every signal and evidence rule has one bit.
For each fact and each of its values -- and for the fact not given -- a mask holds
the rules whose condition on that fact the value meets; a rule with no condition on
the fact is in every one of its masks. The rules whose fact conditions all hold are
the AND of one mask per fact. The signal conditions are then read in order, for the
rules that have any (most of them a group at a time, ``settling``), and the evidence
of the rules that hold is combined with the engine's own function, in the engine's order.

What it is for: whether a recommendation holds under every single one-notch change
of one answer (``hinges``), the difference two careful coders most often have. That
takes up to 21 evaluations a case, which ``beliefs`` would make nine times dearer.
Each is cheaper than the first: the signal rules a set of rules settles to, and each
outcome's combined belief from a set of its evidence, are remembered (pure functions
of a few bits: a batch of cases meets the same ones over and over).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, reduce

from advisor.engine.certainty import TIE_ORDER, TOLERANCE, combine, ranking
from advisor.engine.logic import plan as reading_plan
from advisor.engine.settling import Ordered, Step, read_at_once
from advisor.facts import DERIVED_FACTS, FactValue, scales
from advisor.optional import applies
from advisor.rulebase import KnowledgeBase

_NOT_GIVEN = None  # the key of the mask for a fact left out
_REMEMBERED = 1 << 16  # at most this many settlements, and combinations per outcome, are remembered


@dataclass(frozen=True)
class Masks:
    """A rule base compiled to bit masks (see the module's text)."""

    by_value: dict[str, dict[FactValue | None, int]]
    strata: tuple[tuple[tuple[Step, ...], bool], ...]  # (steps, acyclic) in the engine's order
    gated: int  # the rules whose signal conditions the steps decide
    ordered: Ordered | None  # the steps read at once, when every signal's declarers come before its readers
    # the evidence on each outcome, in the tie order: (outcome, ((bit, cf) in the engine's order), the bits)
    by_outcome: tuple[tuple[str, tuple[tuple[int, float], ...], int], ...]
    # remembered: the gated rules that fire, by the gated rules that hold (``settle``) ...
    settled: dict[int, int] = field(default_factory=dict, compare=False, repr=False)
    # ... and, for each outcome of ``by_outcome``, its combined belief by the bits of its evidence given
    combined: tuple[dict[int, float], ...] = field(default=(), compare=False, repr=False)
    # by_outcome's, each with its ``combined``: (outcome, evidence, bits, combined beliefs remembered)
    outcomes: tuple[tuple[str, tuple[tuple[int, float], ...], int, dict[int, float]], ...] = field(
        default=(), compare=False, repr=False
    )

    def holding(self, facts: Mapping[str, FactValue]) -> int:
        """Return the rules whose fact conditions all hold, as a bit mask."""
        holds = -1
        for fact, masks in self.by_value.items():
            holds &= masks[facts.get(fact, _NOT_GIVEN)]
        return holds

    def fired(self, facts: Mapping[str, FactValue]) -> int:
        """Return the rules that hold for a final set of facts, as a bit mask."""
        return self.settle(self.holding(facts))

    def settle(self, holds: int) -> int:
        """Settle the rules with signal conditions, given the rules whose fact conditions hold."""
        gated = holds & self.gated  # the rules without signal conditions fire as they hold
        fired = self.settled.get(gated)
        if fired is None:
            if len(self.settled) >= _REMEMBERED:
                self.settled.clear()
            fired = self.settled[gated] = self._settle(gated)
        return holds & ~self.gated | fired

    def _settle(self, holds: int) -> int:
        """Return the gated rules that fire, given the gated rules whose fact conditions hold."""
        if self.ordered is not None:
            return self.ordered.settle(holds)
        fired = 0
        present = 0
        for steps, acyclic in self.strata:
            changed = True
            while changed:
                changed = False
                for bit, needs, without, declares in steps:
                    if holds & bit and not fired & bit and present & needs == needs and not present & without:
                        fired |= bit
                        present |= declares
                        changed = not acyclic
        return fired

    def beliefs(self, fired: int) -> dict[str, float]:
        """Return every outcome's combined belief from the rules that hold, best first."""
        totals = self.totals(fired)
        return {o: totals[o] for o in ranking(totals)}

    def totals(
        self, fired: int, base: Mapping[str, float] | None = None, changed: int = -1
    ) -> dict[str, float]:
        """Return each outcome's combined belief, in the tie order.

        Given the ``base`` totals of another set of rules and the rules that differ
        from it (``changed``), only the outcomes whose evidence differs are combined again.
        """
        found: dict[str, float] = {}
        for (outcome, given, bits), combined in zip(self.by_outcome, self.combined, strict=True):
            if base is not None and not bits & changed:
                found[outcome] = base[outcome]
                continue
            total = combined.get(fired & bits)
            found[outcome] = _combined(given, combined, fired & bits) if total is None else total
        return found

    def best_after(self, fired: int, base: Mapping[str, float], changed: int) -> str:
        """Return ``best(totals(fired, base, changed))``, without building the totals (``hinges``)."""
        best, top = "", 0.0
        for outcome, given, bits, combined in self.outcomes:
            if bits & changed:
                total = combined.get(fired & bits)
                if total is None:
                    total = _combined(given, combined, fired & bits)
            else:
                total = base[outcome]
            if not best or total - top > TOLERANCE:
                best, top = outcome, total
        return best

    def unbeaten(self, fired: int, target: str) -> bool:
        """Say whether no outcome beats ``target`` (``certainty.beats``) given the rules that fire: whether it
        may win, as ``relevance.possible`` reads a final set of facts (``by_outcome`` is in the tie order)."""
        totals = []
        for (_, given, bits), combined in zip(self.by_outcome, self.combined, strict=True):
            total = combined.get(fired & bits)
            totals.append(_combined(given, combined, fired & bits) if total is None else total)
        place = TIE_ORDER.index(target)
        mine = totals[place]
        for index, total in enumerate(totals):
            if index != place and (
                total - mine > TOLERANCE or (index < place and abs(total - mine) <= TOLERANCE)
            ):
                return False
        return True

    @staticmethod
    def best(totals: Mapping[str, float]) -> str:
        """Return the best-supported outcome of totals in the tie order: the first of ``ranking``.

        In the tie order (as ``totals`` gives them), an outcome ``beats`` the best so far
        only by a higher belief, never by a tie: the comparison is ``beats``' without its lookups.
        """
        best, top = "", 0.0
        for outcome, total in totals.items():
            if not best or total - top > TOLERANCE:
                best, top = outcome, total
        return best

    def outcome(self, facts: Mapping[str, FactValue]) -> str:
        """Return the outcome the engine would recommend for exactly these facts."""
        return self.best(self.totals(self.fired(facts)))


def _combined(given: tuple[tuple[int, float], ...], combined: dict[int, float], key: int) -> float:
    """Combine the evidence of ``given`` whose bits are in ``key``, in order, and remember it."""
    if len(combined) >= _REMEMBERED:
        combined.clear()
    total = combined[key] = reduce(combine, [cf for bit, cf in given if key & bit], 0.0)
    return total


@cache
def masks_of(kb: KnowledgeBase) -> Masks:
    """Compile a rule base to bit masks (once per rule base)."""
    plan = reading_plan(kb)
    inference = [r for members, _ in plan for r in members]  # the bits follow the engine's order
    bit = {r.id: 1 << i for i, r in enumerate(inference)}
    signal_bit = {s: 1 << i for i, s in enumerate(kb.signals)}
    by_value: dict[str, dict[FactValue | None, int]] = {}
    for fact, scale in scales().items():
        table: dict[FactValue | None, int] = {}
        for value in (*scale.values, _NOT_GIVEN):
            table[value] = sum(
                bit[r.id]
                for r in inference
                if all(value is not _NOT_GIVEN and value in c.values for c in r.facts if c.fact == fact)
            )
        by_value[fact] = table
    strata = []
    gated = 0
    for members, acyclic in plan:
        steps = []
        for rule in members:
            if rule.signals or rule.without or rule.declares:
                needs = sum(signal_bit[s] for s in set(rule.signals))
                without = sum(signal_bit[s] for s in set(rule.without))
                steps.append(
                    (bit[rule.id], needs, without, signal_bit[rule.declares] if rule.declares else 0)
                )
                gated |= bit[rule.id]
        strata.append((tuple(steps), acyclic))
    evidence = tuple((bit[r.id], r.outcomes, float(r.cf or 0)) for r in kb.of_kind("evidence"))
    by_outcome = tuple(
        (
            o,
            tuple((b, cf) for b, outcomes, cf in evidence if o in outcomes),
            sum(b for b, outs, _ in evidence if o in outs),
        )
        for o in TIE_ORDER
    )
    combined: tuple[dict[int, float], ...] = tuple({} for _ in by_outcome)
    return Masks(
        by_value=by_value,
        strata=tuple(strata),
        gated=gated,
        ordered=read_at_once([s for steps, _ in strata for s in steps]) if all(a for _, a in plan) else None,
        by_outcome=by_outcome,
        combined=combined,
        outcomes=tuple((*given, remembered) for given, remembered in zip(by_outcome, combined, strict=True)),
    )


def one_notch(facts: Mapping[str, FactValue]) -> Iterator[tuple[str, FactValue]]:
    """Yield every single-fact, one-notch change of the facts given: (fact, its new value).

    A notch is a step along an ordered scale, or a boolean flipped. ``issue_scope``
    (not ordered) and the derived facts (read off the parties) are left out, and so
    is every fact not given, and an optional fact that does not apply (``standing_commitment``
    for a pair: it is ignored there). This is the change two careful coders most often differ by.
    """
    for name, notches in _notches():
        if name in facts and applies(name, facts):
            for value in notches[facts[name]]:
                yield name, value


@cache
def _notches() -> tuple[tuple[str, dict[FactValue, tuple[FactValue, ...]]], ...]:
    """Return, for each fact a notch can move (in fact order), each value's neighbours, lower first."""
    found = []
    for name, scale in scales().items():
        if name == "issue_scope" or name in DERIVED_FACTS:
            continue
        if not (scale.ordered or isinstance(scale.values[0], bool)):
            continue
        values = list(scale.values)
        around = [
            tuple(values[j] for j in (i - 1, i + 1) if 0 <= j < len(values)) for i in range(len(values))
        ]
        found.append((name, dict(zip(values, around, strict=True))))
    return tuple(found)


def hinges(kb: KnowledgeBase, facts: Mapping[str, FactValue], outcome: str) -> tuple[str, ...]:
    """Return the facts a one-notch change of which alters the outcome, in fact order (a case with
    contested facts: ``as_given.hinges_over_readings``)."""
    compiled = masks_of(kb)
    given = [compiled.by_value[fact][facts.get(fact, _NOT_GIVEN)] for fact in compiled.by_value]
    before, after = [-1], [-1]  # the AND of the masks before each fact, and after it
    for mask in given:
        before.append(before[-1] & mask)
    for mask in reversed(given):
        after.append(after[-1] & mask)
    others = {fact: before[i] & after[len(given) - 1 - i] for i, fact in enumerate(compiled.by_value)}
    holds_now = before[-1]
    fired_now = compiled.settle(holds_now)
    totals_now = compiled.totals(fired_now)
    found: list[str] = []
    for fact, value in one_notch(facts):
        if fact in found:
            continue
        holds = others[fact] & compiled.by_value[fact][value]
        moved = holds ^ holds_now
        # Rules without signal conditions that declare nothing follow their facts alone.
        fired = fired_now ^ moved if not moved & compiled.gated else compiled.settle(holds)
        changed = fired ^ fired_now
        if changed and compiled.best_after(fired, totals_now, changed) != outcome:
            found.append(fact)
    return tuple(found)


__all__ = ["Masks", "hinges", "masks_of", "one_notch"]
