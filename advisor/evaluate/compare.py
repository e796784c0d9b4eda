"""Comparing two knowledge bases: the cases whose recommendation changes, and the rules behind it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from advisor.engine import support
from advisor.evaluate.results import CaseInput, Verdict, VerdictChange
from advisor.rulebase import KnowledgeBase, Rule


def compare(
    cases: Sequence[CaseInput],
    old: Sequence[Verdict],
    new: Sequence[Verdict],
    old_kb: KnowledgeBase,
    new_kb: KnowledgeBase,
) -> list[VerdictChange]:
    """Return the cases whose recommendation changes, with the rules that made the difference."""
    edited = edited_rules(old_kb, new_kb)
    changes = []
    for case, before, after in zip(cases, old, new, strict=True):
        if before.outcome == after.outcome:
            continue
        rules = difference(before, after, old_kb, new_kb)
        rules += tuple(r for r in bearing(before, after, old_kb, new_kb) if r in edited and r not in rules)
        changes.append(VerdictChange(case, before, after, rules, tuple(r for r in rules if r in edited)))
    return changes


def bearing(old: Verdict, new: Verdict, old_kb: KnowledgeBase, new_kb: KnowledgeBase) -> tuple[str, ...]:
    """Return the evidence rules, fired in either run, that bear (for or against) on an outcome whose
    belief differs between the runs: an edit to evidence against an outcome changes the advice too."""
    before, after = dict(old.beliefs), dict(new.beliefs)  # the engine's, kept with the traces
    moved = {o for o in before.keys() | after.keys() if abs(before.get(o, 0.0) - after.get(o, 0.0)) > 1e-9}
    found = []
    for verdict, kb in ((old, old_kb), (new, new_kb)):
        for firing in verdict.trace:
            rule = kb.by_id.get(firing.rule)
            if rule is not None and rule.kind == "evidence" and moved & set(rule.outcomes):
                found.append(rule.id)
    return tuple(dict.fromkeys(found))


def difference(old: Verdict, new: Verdict, old_kb: KnowledgeBase, new_kb: KnowledgeBase) -> tuple[str, ...]:
    """Return the rules that made the difference between two runs (with traces) of the same case.

    They are the deciding rules (if they differ); the rules on either winner's
    support chain that fired in that run only; and, when such a chain rule did
    not fire in the other run because a signal it must not see was declared
    there, the rules of the other run only that declared that signal, with
    their own support.
    """
    found = [old.deciding_rule, new.deciding_rule] if old.deciding_rule != new.deciding_rule else []
    for mine, theirs, their_kb in ((old, new, new_kb), (new, old, old_kb)):
        fired_there = {f.rule for f in theirs.trace}
        only_theirs = fired_there - {f.rule for f in mine.trace}
        for firing in support(mine.trace, mine.deciding_rule):
            if firing.rule in fired_there:
                continue
            found.append(firing.rule)
            blocked = their_kb.by_id.get(firing.rule)
            for signal in blocked.without if blocked else ():
                declarer = next((f for f in theirs.trace if signal in f.declared_signals), None)
                if declarer is not None:
                    found += [f.rule for f in support(theirs.trace, declarer.rule) if f.rule in only_theirs]
    return tuple(dict.fromkeys(found))


def edited_rules(old_kb: KnowledgeBase, new_kb: KnowledgeBase) -> set[str]:
    """Return the ids of rules added, removed or changed in logic between two knowledge bases."""
    old = {r.id: _logic(r) for r in old_kb.rules}
    new = {r.id: _logic(r) for r in new_kb.rules}
    return {rule_id for rule_id in old.keys() | new.keys() if old.get(rule_id) != new.get(rule_id)}


def _logic(rule: Rule) -> tuple[Any, ...]:
    """Return what decides when a rule fires and what it concludes (not its wording or place)."""
    conditions = tuple((c.fact, c.values) for c in rule.facts)
    return (
        rule.kind,
        conditions,
        rule.signals,
        rule.without,
        rule.recommended,
        rule.declares,
        rule.outcomes,
        rule.cf,
    )
