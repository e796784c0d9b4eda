"""The rule base read in three values (Kleene's logic): which rules can fire, which signals can be present.

A condition on a fact not given counts as ``unanswered``: MAYBE while the
question may still be answered, NO for a final set of facts (how the engine
reads an absent fact). A signal is certainly present (YES), possibly present
(MAYBE) or impossible (NO); ``without`` is its negation. Rules are read stratum
by stratum, in the engine's own order, so a negation only ever looks at a
finished signal.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum
from functools import cache

from advisor.facts import FactValue
from advisor.rulebase import KnowledgeBase, Rule, strata


class Tri(IntEnum):
    """A three-valued truth: NO < MAYBE < YES."""

    NO = 0
    MAYBE = 1
    YES = 2


def truth(
    kb: KnowledgeBase, facts: Mapping[str, FactValue], *, unanswered: Tri = Tri.MAYBE
) -> tuple[dict[str, Tri], dict[str, Tri]]:
    """Evaluate every signal and evidence rule in three values, stratum by stratum.

    ``unanswered`` is what a test on a fact not given counts as: MAYBE while the
    question may still be answered (the questionnaire), NO for a final set of
    facts, which is how the engine reads it -- then every value is YES or NO.
    """
    rules: dict[str, Tri] = {}
    signals = dict.fromkeys(kb.signals, Tri.NO)
    for members, acyclic in plan(kb):
        for rule in members:
            rules[rule.id] = Tri.NO
        changed = True
        while changed:  # a positive cycle within a stratum climbs to the least fixed point
            changed = False
            for rule in members:
                status = rule_truth(rule, facts, signals, unanswered)
                if status > rules[rule.id]:
                    rules[rule.id], changed = status, not acyclic
                    if rule.declares is not None and status > signals[rule.declares]:
                        signals[rule.declares] = status
    return rules, signals


@cache
def plan(kb: KnowledgeBase) -> tuple[tuple[tuple[Rule, ...], bool], ...]:
    """Return the signal and evidence rules by stratum, each stratum in dependency order (the engine's).

    Within a stratum a rule comes after the rules declaring the signals it needs,
    so one pass suffices unless those needs form a cycle (then ``acyclic`` is False).
    """
    level = strata(kb)
    inference = [r for r in kb.rules if r.kind in ("signal", "evidence")]
    steps = []
    for stratum in sorted({level[r.id] for r in inference}):
        members = [r for r in inference if level[r.id] == stratum]
        ordered: list[Rule] = []
        placed: set[str] = set()
        while len(ordered) < len(members):
            ready = [
                r
                for r in members
                if r.id not in placed
                and all(d.id in placed for s in r.signals for d in kb.declarers(s) if d in members)
            ]
            if not ready:  # a positive cycle: keep file order, iterate to a fixed point
                steps.append((tuple(members), False))
                break
            ordered += ready
            placed |= {r.id for r in ready}
        else:
            steps.append((tuple(ordered), True))
    return tuple(steps)


def rule_truth(
    rule: Rule, facts: Mapping[str, FactValue], signals: Mapping[str, Tri], unanswered: Tri = Tri.MAYBE
) -> Tri:
    """Return whether a rule's fact and signal conditions can hold (the weakest of them)."""
    status = Tri.YES
    for condition in rule.facts:
        value = facts.get(condition.fact, _UNANSWERED)
        holds = unanswered if value is _UNANSWERED else Tri.YES if value in condition.values else Tri.NO
        if holds == Tri.NO:
            return Tri.NO
        status = min(status, holds)
    for signal in rule.signals:
        status = min(status, signals[signal])
    for signal in rule.without:
        status = min(status, Tri(Tri.YES - signals[signal]))
    return status


_UNANSWERED = object()
