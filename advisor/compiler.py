"""Compiling a KnowledgeBase into a genuine experta KnowledgeEngine class.

The known input facts become one experta ``Dyad`` fact; each rule becomes an
experta ``Rule`` whose patterns match the ``Dyad``, ``Signal`` facts (present or
absent) and, for cautions, the ``Recommendation``. Rules declare ``Signal``,
``Evidence``, ``Belief``, ``Outranked``, ``Recommendation`` and ``Caution`` facts
that other rules match.

Evidence is combined inside the engine, as EMYCIN did: the ledger opens with a
zero piece of evidence for every outcome; the combine rule absorbs the
``Evidence`` facts of each outcome into its ``Belief`` with the certainty-factor
calculus (``advisor.certainty``); then the best-supported outcome is the
``Recommendation`` and every other one is marked as outranked by it.

Negation needs an order: a rule that requires a signal to be absent must not
fire before every rule that could declare that signal has had its chance. The
knowledge base is stratified when it loads (``rulebase.strata``, as in Datalog);
the compiler turns strata into experta salience, so the agenda runs the rules in
a sound order whatever the file order.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from functools import reduce
from typing import Any, ClassVar

from advisor._experta import AS, NOT, Fact, KnowledgeEngine, L, ReteMatcher, Rule, Strategy
from advisor.certainty import combine, ranking
from advisor.outcomes import OUTCOME_IDS
from advisor.rulebase import KnowledgeBase, strata
from advisor.rulebase import Rule as KbRule

OPENING = "(opening)"  # the rule name of the zero evidence every outcome's ledger opens with


class Dyad(Fact):  # type: ignore[misc]
    """The input facts about the dyad, one field per known fact (unknown facts are absent)."""


class Signal(Fact):  # type: ignore[misc]
    """An intermediate conclusion: ``Signal(name=...)``."""


class Evidence(Fact):  # type: ignore[misc]
    """One rule's evidence on an outcome: ``Evidence(outcome=..., rule=..., cf=...)``, cf in (-1, 1)."""


class Belief(Fact):  # type: ignore[misc]
    """The combined evidence on an outcome so far: ``Belief(outcome=..., cf=...)``."""


class Outranked(Fact):  # type: ignore[misc]
    """An outcome with less support than another: ``Outranked(outcome=..., by=...)``."""


class Tallied(Fact):  # type: ignore[misc]
    """Every piece of evidence has been absorbed: the ledger is closed and the outcomes can be ranked."""


class Recommendation(Fact):  # type: ignore[misc]
    """The settled outcome: ``Recommendation(outcome=..., cf=...)``."""


class Caution(Fact):  # type: ignore[misc]
    """A warning that accompanies the recommendation: ``Caution(rule=...)``."""


class DepthFirst(Strategy):  # type: ignore[misc]
    """Experta's depth strategy -- salience first, then the newest facts -- with cheap removals.

    experta's own DepthStrategy finds an activation to remove by full equality
    (context, facts, rule), which dominates a run of this rule base; removal here
    compares only the rule and the fact ids. experta also leaves ties (same
    salience, same facts) to the iteration order of hash-based sets, which varies
    between processes; here the rule written first in the knowledge base fires
    first, so that the same input gives the same trace every time.
    """

    order: ClassVar[dict[str, int]] = {}  # rule name -> position in the knowledge base

    def key(self, activation: Any) -> tuple[int, list[int], int]:
        """Rank an activation: higher salience, then more recent facts, then file order."""
        ids = sorted((f["__factid__"] for f in activation.facts), reverse=True)
        return (activation.rule.salience, ids, -self.order.get(activation.rule.__name__, 0))

    def _update_agenda(self, agenda: Any, added: Any, removed: Any) -> None:
        queue = agenda.activations
        for act in removed:
            act.key = self.key(act)
            i = bisect.bisect_left(queue, act)
            while i < len(queue) and queue[i].key == act.key:
                if queue[i].rule is act.rule and queue[i].facts == act.facts:
                    del queue[i]
                    break
                i += 1
        for act in added:
            act.key = self.key(act)
            bisect.insort(queue, act)


class LeanRete(ReteMatcher):  # type: ignore[misc]
    """experta's Rete matcher with two loops tightened; the network and its semantics are untouched.

    ``reset`` clears each node once (experta walks shared nodes once per parent),
    and ``changes`` collects activations only from conflict-set nodes that have some.
    """

    def reset(self) -> None:
        """Clear the memory of every node in the network, once each."""
        for node in self._nodes():
            node._reset()

    def changes(self, adding: Any = None, deleting: Any = None) -> tuple[list[Any], list[Any]]:
        """Propagate fact changes and return the activations added and removed."""
        for fact in deleting or ():
            self.root_node.remove(fact)
        for fact in adding or ():
            self.root_node.add(fact)
        added: list[Any] = []
        removed: list[Any] = []
        for csn in self._get_conflict_set_nodes():
            if csn.added or csn.removed:
                new, gone = csn.get_activations()
                added.extend(new)
                removed.extend(gone)
        return added, removed

    def _nodes(self) -> list[Any]:
        """Return every node of the network once, computed on first use."""
        if not hasattr(self, "_all_nodes"):
            seen: dict[int, Any] = {}
            pending = [self.root_node]
            while pending:
                node = pending.pop()
                if id(node) not in seen:
                    seen[id(node)] = node
                    pending += [child.node for child in node.children]
            self._all_nodes = list(seen.values())
        return self._all_nodes


class TracingEngine(KnowledgeEngine):  # type: ignore[misc]
    """A KnowledgeEngine that remembers every firing: rule id, facts matched, facts declared."""

    __strategy__ = DepthFirst
    __matcher__ = LeanRete

    def reset(self, **kwargs: Any) -> None:
        """Reset the fact list and agenda, start a fresh trace, and open the ledger at 0 for each outcome."""
        self.firings: list[tuple[str, list[Any], list[Any]]] = []
        super().reset(**kwargs)
        self.declare(*(Evidence(outcome=o, rule=OPENING, cf=0.0) for o in OUTCOME_IDS))

    def fire(self, rule_id: str, matched: list[Any], declared: list[Any]) -> None:
        """Record one firing and declare what it concluded."""
        self.firings.append((rule_id, matched, declared))
        self.declare(*declared)


def compile_engine(kb: KnowledgeBase) -> type[TracingEngine]:
    """Build the experta engine class for a knowledge base (costly: do it once)."""
    level = strata(kb)
    members: dict[str, Any] = {}
    for rule in kb.rules:
        salience = -level[rule.id]
        if rule.kind == "combine":
            members.update(_combiners(rule.id, salience))
        else:
            members[rule.id] = Rule(*_patterns(rule), salience=salience)(_action(rule))
    order = {name: i for i, name in enumerate(members)}
    members["__strategy__"] = type("KnowledgeBaseOrder", (DepthFirst,), {"order": order})
    return type("AdvisorEngine", (TracingEngine,), members)


def _patterns(rule: KbRule) -> list[Any]:
    """Translate a rule's conditions into experta patterns, binding each matched fact."""
    patterns: list[Any] = []
    if rule.facts:
        tests = {c.fact: reduce(lambda a, b: a | b, (L(v) for v in c.values)) for c in rule.facts}
        patterns.append(AS.dyad << Dyad(**tests))
    for i, signal in enumerate(rule.signals):
        patterns.append(getattr(AS, f"s{i}") << Signal(name=signal))
    patterns += [NOT(Signal(name=signal)) for signal in rule.without]
    if rule.recommended:
        outcome = reduce(lambda a, b: a | b, (L(o) for o in rule.recommended))
        patterns.append(AS.r << Recommendation(outcome=outcome))
    return patterns


def _action(rule: KbRule) -> Callable[..., None]:
    """Return the right-hand side of a rule: record the firing and declare its conclusion."""
    if rule.kind == "signal":
        conclusion: Fact = Signal(name=rule.declares)
    elif rule.kind == "evidence":
        conclusions = [Evidence(outcome=o, rule=rule.id, cf=rule.cf) for o in rule.outcomes]
    else:
        conclusion = Caution(rule=rule.id)
    if rule.kind != "evidence":
        conclusions = [conclusion]
    rule_id, tested = rule.id, tuple(c.fact for c in rule.facts)

    def fire(engine: TracingEngine, **context: Any) -> None:
        engine.fire(rule_id, _matched(context, tested), [c.copy() for c in conclusions])

    fire.__name__ = rule_id
    return fire


def _combiners(rule_id: str, salience: int) -> dict[str, Any]:
    """Return the two experta rules of the combination policy: absorb, then rank.

    The ledger opens with a zero piece of evidence on every outcome (declared at
    reset). Once every evidence rule has had its chance (salience), ``absorb``
    fires once: it combines the pieces of evidence on each outcome with EMYCIN's
    function and declares one ``Belief`` per outcome.
    When no outcome is left to absorb, ``rank`` fires once: it closes the ledger
    (``Tallied``), marks every outcome but the best-supported one as ``Outranked``
    by it, and declares the ``Recommendation``. Each step is one firing with one
    batch of declarations, so the Rete network does little work.
    """

    def absorb(engine: TracingEngine) -> None:
        pieces = sorted(
            (f for f in engine.facts.values() if isinstance(f, Evidence)), key=lambda f: f["__factid__"]
        )
        totals = dict.fromkeys(OUTCOME_IDS, 0.0)
        for piece in pieces:
            totals[piece["outcome"]] = combine(totals[piece["outcome"]], piece["cf"])
        engine.fire(rule_id, pieces, [Belief(outcome=o, cf=cf) for o, cf in totals.items()])

    def rank(engine: TracingEngine) -> None:
        held = [f for f in engine.facts.values() if isinstance(f, Belief)]
        beliefs = {f["outcome"]: f["cf"] for f in held}
        best, *rest = ranking(beliefs)
        declared: list[Fact] = [Tallied()]
        declared += [Outranked(outcome=o, by=best) for o in rest]
        declared.append(Recommendation(outcome=best, cf=beliefs[best]))
        engine.fire(rule_id, held, declared)

    for action in (absorb, rank):
        action.__name__ = f"{rule_id}:{action.__name__}"
    return {
        absorb.__name__: Rule(NOT(Belief()), salience=salience)(absorb),
        rank.__name__: Rule(NOT(Tallied()), salience=salience - 1)(rank),
    }


def _matched(context: dict[str, Any], tested: tuple[str, ...]) -> list[Any]:
    """Return what a rule matched: the dyad's facts it tested, then signals and outcome."""
    matched = [v for k, v in sorted(context.items()) if k != "dyad"]
    if "dyad" in context:
        matched.insert(0, {fact: context["dyad"][fact] for fact in tested})
    return matched
