"""The exact evaluator: every outcome's belief for a final set of facts, read without the engine.

It reads the rule base the way the engine runs it, in three values with every
unanswered condition false (``logic.truth``), and combines and ranks the
evidence with the same functions as the engine (``certainty``); the tests hold
the two equal. It is what makes sweeping the fact space, and the readings of
contested facts, affordable.
"""

from __future__ import annotations

from collections.abc import Mapping

from advisor.engine.certainty import combine_all, ranking
from advisor.engine.logic import Tri, truth
from advisor.engine.masks import masks_of
from advisor.facts import FactValue
from advisor.outcomes import OUTCOME_IDS
from advisor.rulebase import KnowledgeBase


def beliefs(kb: KnowledgeBase, facts: Mapping[str, FactValue]) -> dict[str, float]:
    """Return every outcome's combined belief for exactly these facts, best first, without the engine.

    This reads the rule base the way the engine runs it (an absent fact matches no
    condition); the tests hold the two equal. It is what makes sweeping the whole
    fact space affordable.
    """
    rules, _ = truth(kb, facts, unanswered=Tri.NO)
    found: dict[str, list[float]] = {o: [] for o in OUTCOME_IDS}
    for rule in kb.of_kind("evidence"):
        if rules[rule.id] == Tri.YES:
            for outcome in rule.outcomes:
                found[outcome].append(float(rule.cf or 0))
    totals = {o: combine_all(cfs) for o, cfs in found.items()}
    return {o: totals[o] for o in ranking(totals)}


def outcome_of(kb: KnowledgeBase, facts: Mapping[str, FactValue]) -> str:
    """Return the outcome the engine would recommend for exactly these facts (``beliefs``' first).

    It reads the rule base compiled to bit masks (``masks``), three times faster; the
    tests hold the two readings equal.
    """
    return masks_of(kb).outcome(facts)
