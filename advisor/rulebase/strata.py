"""The order in which rules run: strata (as in Datalog), so that a negation is judged only when final."""

from __future__ import annotations

from functools import cache

from advisor.rulebase.model import KnowledgeBase, Rule, RuleBaseError


@cache
def strata(kb: KnowledgeBase) -> dict[str, int]:
    """Assign each rule a stratum: after every rule whose signals it uses, strictly after negated ones.

    A rule that needs a signal absent may only be judged once every rule that could
    declare the signal has had its chance; the compiler turns strata into salience.
    Raise RuleBaseError, naming the rules, if negations form a cycle.
    """
    level = {r.id: 0 for r in kb.rules}
    inference = [r for r in kb.rules if r.kind in ("signal", "evidence")]
    rising: list[Rule] = []
    for _ in range(len(inference) + 1):
        rising = []
        for rule in inference:
            needed = max(
                [level[d.id] for s in rule.signals for d in kb.declarers(s)]
                + [level[d.id] + 1 for s in rule.without for d in kb.declarers(s)]
                + [0]
            )
            if needed > level[rule.id]:
                level[rule.id] = needed
                rising.append(rule)
        if not rising:
            break
    else:
        names = ", ".join(f"{r.id} ({r.where})" for r in _on_a_cycle(kb, rising))
        raise RuleBaseError([f"these rules negate signals in a cycle, so no firing order is sound: {names}"])
    top = max([level[r.id] for r in inference] + [0])
    for rule in kb.rules:
        if rule.kind == "combine":
            level[rule.id] = top + 1
        elif rule.kind == "caution":
            level[rule.id] = top + 3  # combining takes two steps: absorb, then rank
    return level


def _on_a_cycle(kb: KnowledgeBase, rules: list[Rule]) -> list[Rule]:
    """Return the rules that depend on themselves through the signals they need (present or absent)."""
    return [r for r in rules if r in kb.upstream(kb.needs(r), negated=True)]


def stages(kb: KnowledgeBase) -> list[tuple[int, tuple[Rule, ...]]]:
    """Return the rules grouped by stratum, lowest (first to run) first, each group in file order."""
    level = strata(kb)
    return [(n, tuple(r for r in kb.rules if level[r.id] == n)) for n in sorted(set(level.values()))]
