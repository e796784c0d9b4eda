"""Compiling a KnowledgeBase into a genuine experta KnowledgeEngine class.

The known input facts become one experta ``Dyad`` fact; each rule becomes an
experta ``Rule`` whose patterns match the ``Dyad``, ``Signal`` facts (present or
absent) and, for cautions, the ``Chosen`` outcome. Rules declare ``Signal``,
``Evidence``, ``Belief``, ``Outranked``, ``Chosen`` and ``Caution`` facts
that other rules match (``advisor.engine.types``).

Evidence is combined inside the engine, as EMYCIN did: the ledger opens with a
zero piece of evidence for every outcome; the combine rule absorbs the
``Evidence`` facts of each outcome into its ``Belief`` with the certainty-factor
calculus (``advisor.engine.certainty``); then the best-supported outcome is
``Chosen`` and every other one is marked as outranked by it.

Negation needs an order: a rule that requires a signal to be absent must not
fire before every rule that could declare that signal has had its chance. The
knowledge base is stratified when it loads (``rulebase.strata``, as in Datalog);
the compiler turns strata into experta salience, so the agenda runs the rules in
a sound order whatever the file order.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from functools import reduce
from operator import itemgetter
from typing import Any

from advisor._experta import AS, NOT, Agenda, Fact, KnowledgeEngine, L, Rule, watchers
from advisor.engine.certainty import combine_all, ranking
from advisor.engine.strategy import DepthFirst, LeanFactList, LeanRete
from advisor.engine.types import (
    OPENING,
    Belief,
    Caution,
    Chosen,
    Dyad,
    Evidence,
    Outranked,
    Signal,
    Tallied,
    fresh,
)
from advisor.outcomes import OUTCOME_IDS
from advisor.rulebase import KnowledgeBase, strata
from advisor.rulebase import Rule as KbRule


class TracingEngine(KnowledgeEngine):  # type: ignore[misc]
    """A KnowledgeEngine that remembers every firing: rule id, facts matched, facts declared.

    Its ``reset``, ``run`` and ``fire`` are experta's, with what costs most and
    changes nothing left out: the fact list is a ``LeanFactList``, a firing's log
    line is formatted only when the rules are watched, and the facts a rule
    concludes (built by this compiler, never with conditional elements) go to the
    fact list without being searched for any, each with what makes it the same as
    another worked out once per rule. Without a trace, a compiled rule (marked
    ``context_for_trace``: it reads what it matched only to keep it) is fired without
    the activation's context being copied for it.
    """

    __strategy__ = DepthFirst
    __matcher__ = LeanRete
    matching = True  # whether a firing keeps the facts it matched: only a trace reads them

    def reset(self, **kwargs: Any) -> None:
        """Reset the fact list and agenda, start a fresh trace, and open the ledger at 0 for each outcome.

        What a reset leaves -- the initial fact and the opening ledger declared,
        the activations and memories they made -- is the same every time: it is
        kept after the first reset and restored at the next ones (``_restart``).
        """
        self.firings: list[tuple[str, list[Any], list[Any]]] = []
        start = getattr(self, "_start", None)
        if start is not None and not kwargs:
            self._restart(*start)
            return
        self._reset(**kwargs)
        if not kwargs and isinstance(self.matcher, LeanRete):
            facts = self.facts
            counts = dict(facts.reference_counter)
            self._start = (
                dict(facts),
                facts.last_index,
                counts,
                list(self.agenda.activations),
                self.matcher.memories(),
            )

    def _restart(
        self, facts: dict[int, Any], last: int, counts: dict[Any, int], activations: list[Any], memories: Any
    ) -> None:
        """Restore what a reset leaves: the same declared facts, activations and memories (copies of them)."""
        self.facts = LeanFactList()
        self.facts.update(facts)
        self.facts.last_index = last
        dict.update(self.facts.reference_counter, counts)
        self.agenda = Agenda()
        self.agenda.activations = list(activations)
        self.matcher.restore(memories)
        self.running = False

    def _reset(self, **kwargs: Any) -> None:
        """experta's reset, then the opening ledger."""
        self.agenda = Agenda()
        self.facts = LeanFactList()
        self.matcher.reset()
        declared = []
        for deffact, wanted in self._deffacts_wanted():
            declared += deffact(
                **(kwargs if wanted is None else {k: v for k, v in kwargs.items() if k in wanted})
            )
        self._KnowledgeEngine__declare(*declared)
        self.running = False
        self.declare_built(
            *(fresh(Evidence, {"outcome": o, "rule": OPENING, "cf": 0.0}) for o in OUTCOME_IDS)
        )

    def _deffacts_wanted(self) -> list[tuple[Any, set[str] | None]]:
        """Return the engine's DefFacts, each with the names it takes (None: any), found once.

        experta inspects every member of the engine, and each DefFacts' signature, at each reset.
        """
        if not hasattr(self, "_deffacts"):
            self._deffacts: list[tuple[Any, set[str] | None]] = []
            for deffact in self.get_deffacts():
                parameters = inspect.signature(deffact).parameters.values()
                takes_any = any(p.kind == inspect.Parameter.VAR_KEYWORD for p in parameters)
                self._deffacts.append((deffact, None if takes_any else {p.name for p in parameters}))
        return self._deffacts

    def run(self, steps: float = float("inf")) -> None:
        """Fire activations, best first, until none is left (experta's loop)."""
        self.running = True
        execution = 0
        agenda_watched = watchers.worth("AGENDA", "DEBUG")
        rules_watched = watchers.RULES.isEnabledFor(logging.INFO)
        changes, untraced = self.matcher.changes, not self.matching
        # the strategy's update_agenda, or (its log unwatched) what it calls after logging
        update = (
            self.strategy.update_agenda
            if watchers.worth("ACTIVATIONS", "INFO")
            else self.strategy._update_agenda
        )
        while steps > 0 and self.running:
            fact_list = self.facts  # get_activations(), without its call, and fact_list.changes written out
            added, removed = changes(fact_list.added, fact_list.removed)
            fact_list.added, fact_list.removed = [], []
            if added or removed:  # an empty update changes nothing and logs nothing
                update(self.agenda, added, removed)
            if agenda_watched:  # pragma: no cover
                for idx, act in enumerate(self.agenda.activations):
                    facts = ", ".join(str(f) for f in act.facts)
                    watchers.AGENDA.debug("%d: %r %r", idx, act.rule.__name__, facts)
            queue = self.agenda.activations  # agenda.get_next(), written out
            if not queue:
                break
            activation = queue.pop()
            steps -= 1
            execution += 1
            if rules_watched:  # pragma: no cover
                facts = ", ".join(str(f) for f in activation.facts)
                watchers.RULES.info("FIRE %s %s: %s", execution, activation.rule.__name__, facts)
            rule = activation.rule
            if untraced and getattr(rule._wrapped, "context_for_trace", False):
                rule._wrapped(self)  # a compiled rule: without a trace, its context would not be read
            else:
                _call(rule, self, {k: v for k, v in activation.context.items() if not k.startswith("__")})
        self.running = False

    def fire(
        self, rule_id: str, matched: list[Any], declared: list[Any], ids: list[Any] | None = None
    ) -> None:
        """Record one firing and declare what it concluded (``ids``: ``LeanFactList.declare_built``'s)."""
        self.firings.append((rule_id, matched, declared))
        self.facts.declare_built(declared, ids)
        if not self.running:
            self.get_agenda_up_to_date()

    def declare_built(self, *facts: Any) -> None:
        """Declare facts built by this compiler or from checked input (``types.fresh``), never with
        conditional elements or special fields: experta's ``declare`` without searching them for any."""
        self.facts.declare_built(facts)
        if not self.running:
            self.get_agenda_up_to_date()

    def get_agenda_up_to_date(self) -> None:
        """Pass the changes to the fact list through the network, and the activations to the agenda."""
        facts = self.facts  # get_activations(), with facts.changes written out
        added, removed = self.matcher.changes(facts.added, facts.removed)
        facts.added, facts.removed = [], []
        self.strategy.update_agenda(self.agenda, added, removed)


def _call(rule: Any, engine: TracingEngine, context: dict[str, Any]) -> None:
    """Fire a rule on an activation's context: experta's ``Rule.__call__`` for a defined rule, inlined."""
    if rule._wrapped_args:  # a right-hand side without **kwargs takes only the names it declares
        context = {k: v for k, v in context.items() if k in rule._wrapped_args}
    if rule._wrapped_self is None:
        rule._wrapped(engine, **context)
    else:
        rule._wrapped(rule._wrapped_self, engine, **context)


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
        patterns.append(AS.r << Chosen(outcome=outcome))
    return patterns


def _action(rule: KbRule) -> Callable[..., None]:
    """Return the right-hand side of a rule: record the firing and declare its conclusion."""
    conclusions: list[tuple[type[Fact], dict[str, Any]]]
    if rule.kind == "signal":
        conclusions = [(Signal, {"name": rule.declares})]
    elif rule.kind == "evidence":
        conclusions = [(Evidence, {"outcome": o, "rule": rule.id, "cf": rule.cf}) for o in rule.outcomes]
    else:
        conclusions = [(Caution, {"rule": rule.id})]
    rule_id, tested = rule.id, tuple(c.fact for c in rule.facts)
    bound = sorted(_bound(rule))

    new, update = dict.__new__, dict.update
    ids = [(kind, frozenset(fields.items())) for kind, fields in conclusions]  # LeanFactList._get_fact_id

    def fire(engine: TracingEngine, **context: Any) -> None:
        matched = _matched(context, tested, bound) if engine.matching else []
        declared = []
        for kind, fields in conclusions:  # fresh(kind, fields), written out
            fact = new(kind)
            update(fact, fields)
            fact._Fact__defaults = {}
            declared.append(fact)
        engine.fire(rule_id, matched, declared, ids)

    fire.__name__ = rule_id
    fire.context_for_trace = True  # type: ignore[attr-defined]  # it reads its context only for the trace
    return fire


def _combiners(rule_id: str, salience: int) -> dict[str, Any]:
    """Return the two experta rules of the combination policy: absorb, then rank.

    The ledger opens with a zero piece of evidence on every outcome (declared at
    reset). Once every evidence rule has had its chance (salience), ``absorb``
    fires once: it combines the pieces of evidence on each outcome with EMYCIN's
    function and declares one ``Belief`` per outcome.
    When no outcome is left to absorb, ``rank`` fires once: it closes the ledger
    (``Tallied``), marks every outcome but the best-supported one as ``Outranked``
    by it, and declares the outcome ``Chosen``. Each step is one firing with one
    batch of declarations, so the Rete network does little work.
    """

    def absorb(engine: TracingEngine) -> None:
        pieces = sorted(
            (f for f in engine.facts.values() if isinstance(f, Evidence)), key=itemgetter("__factid__")
        )
        factors: dict[str, list[float]] = {o: [] for o in OUTCOME_IDS}
        for piece in pieces:
            factors[piece["outcome"]].append(piece["cf"])
        beliefs = [fresh(Belief, {"outcome": o, "cf": combine_all(cfs)}) for o, cfs in factors.items()]
        engine.fire(rule_id, pieces, beliefs)

    def rank(engine: TracingEngine) -> None:
        held = [f for f in engine.facts.values() if isinstance(f, Belief)]
        beliefs = {f["outcome"]: f["cf"] for f in held}
        best, *rest = ranking(beliefs)
        declared: list[Fact] = [fresh(Tallied, {})]
        declared += [fresh(Outranked, {"outcome": o, "by": best}) for o in rest]
        declared.append(fresh(Chosen, {"outcome": best, "cf": beliefs[best]}))
        engine.fire(rule_id, held, declared)

    for action in (absorb, rank):
        action.__name__ = f"{rule_id}:{action.__name__}"
        action.context_for_trace = True  # type: ignore[attr-defined]  # it takes none
    return {
        absorb.__name__: Rule(NOT(Belief()), salience=salience)(absorb),
        rank.__name__: Rule(NOT(Tallied()), salience=salience - 1)(rank),
    }


def _bound(rule: KbRule) -> list[str]:
    """Return the names ``_patterns`` binds the facts a rule matches to."""
    names = ["dyad"] if rule.facts else []
    names += [f"s{i}" for i in range(len(rule.signals))]
    return names + (["r"] if rule.recommended else [])


def _matched(context: dict[str, Any], tested: tuple[str, ...], bound: list[str] | None = None) -> list[Any]:
    """Return what a rule matched: the dyad's facts it tested, then signals and outcome (by name).

    ``bound`` is the sorted names of the context when known (``_bound``).
    """
    names = bound if bound is not None and len(bound) == len(context) else sorted(context)
    matched = [context[k] for k in names if k != "dyad"]
    if "dyad" in context:
        matched.insert(0, {fact: context["dyad"][fact] for fact in tested})
    return matched
