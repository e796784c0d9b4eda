"""The consultation engine: a compiled knowledge base, built once, run many times."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from advisor.engine.certainty import ranking
from advisor.engine.compiler import compile_engine
from advisor.engine.types import OPENING, Belief, Caution, Chosen, Dyad, Evidence, Outranked, Signal, fresh
from advisor.facts import FactValue, KnownFacts, check_known
from advisor.outcomes import OUTCOME_IDS
from advisor.rulebase import KnowledgeBase, load_knowledge_base


@dataclass(frozen=True)
class Firing:
    """One step of the trace: a rule fired on these facts and declared these conclusions."""

    step: int
    rule: str
    matched: dict[str, FactValue]
    signals: tuple[str, ...]
    declared: tuple[str, ...]  # what it concluded, for display: a signal's name, or "kind:subject"
    evidence: EvidenceGiven | None = None  # the evidence an evidence rule gave, or the combine rule absorbed
    declared_signals: tuple[str, ...] = ()  # the signals it declared


@dataclass(frozen=True)
class EvidenceGiven:
    """One rule's evidence on one outcome: a certainty factor, positive for it, negative against it."""

    outcome: str
    rule: str
    cf: float


@dataclass(frozen=True)
class Run:
    """Everything one run of the engine concluded, in firing order."""

    facts: dict[str, FactValue]
    firings: tuple[Firing, ...]
    signals: tuple[str, ...]
    evidence: tuple[EvidenceGiven, ...]  # in firing order
    beliefs: dict[str, float]  # outcome -> combined certainty factor, every outcome
    outcome: str
    deciding_rule: str  # the strongest evidence for the outcome, or the combine rule if there is none
    cautions: tuple[str, ...]
    support: dict[str, tuple[str, ...]] = field(default_factory=dict)  # signal -> declaring rules


class Engine:
    """A knowledge base compiled into an experta engine; reuse one for every consultation."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self._experta = compile_engine(kb)()
        self._order = {rule.id: i for i, rule in enumerate(kb.rules)}

    def run(self, facts: KnownFacts) -> Run:
        """Reset, declare the known facts, run to quiescence, and return what was concluded."""
        known = check_known(facts)
        engine = self._experta
        engine.reset()
        engine.declare(fresh(Dyad, known))
        engine.run()
        return _collect(known, engine.firings, self._order)


@cache  # by argument, so that a call per case costs nothing; _engine shares across spellings
def get_engine(directory: Path | None = None) -> Engine:
    """Return the process-wide engine for a rules directory, compiling it on first use."""
    return _engine(load_knowledge_base(directory))


@cache
def _engine(kb: KnowledgeBase) -> Engine:
    """Compile one engine per knowledge base (knowledge bases compare by identity)."""
    return Engine(kb)


def _collect(
    known: dict[str, FactValue], raw: list[tuple[str, list[Any], list[Any]]], order: dict[str, int]
) -> Run:
    """Turn the engine's raw firings into a Run."""
    firings = []
    signals: list[str] = []
    declarers: dict[str, list[str]] = {}
    evidence: list[EvidenceGiven] = []
    beliefs: dict[str, float] = {}
    cautions: list[str] = []
    outcome, combiner = "", ""
    for step, (rule_id, matched, declared) in enumerate(raw, start=1):
        facts = next((dict(f) for f in matched if type(f) is dict), {})
        used = tuple(f["name"] for f in matched if isinstance(f, Signal))
        names: list[str] = []
        declared_signals: list[str] = []
        given = next((_given(f) for f in matched if isinstance(f, Evidence) and f["rule"] != OPENING), None)
        for fact in declared:
            if isinstance(fact, Signal):
                names.append(fact["name"])
                declared_signals.append(fact["name"])
                declarers.setdefault(fact["name"], []).append(rule_id)
                if fact["name"] not in signals:
                    signals.append(fact["name"])
            elif isinstance(fact, Evidence) and fact["rule"] != OPENING:
                given = _given(fact)
                names.append(f"evidence:{fact['outcome']}")
                evidence.append(given)
            elif isinstance(fact, Belief):
                names.append(f"belief:{fact['outcome']}")
                beliefs[fact["outcome"]] = fact["cf"]
                combiner = rule_id
            elif isinstance(fact, Chosen):
                names.append(f"recommendation:{fact['outcome']}")
                outcome, combiner = fact["outcome"], rule_id
            elif isinstance(fact, Outranked):
                names.append(f"outranked:{fact['outcome']}")
            elif isinstance(fact, Caution):
                names.append(f"caution:{fact['rule']}")
                cautions.append(fact["rule"])
        firings.append(Firing(step, rule_id, facts, used, tuple(names), given, tuple(declared_signals)))
    beliefs = {o: beliefs.get(o, 0.0) for o in ranking({o: beliefs.get(o, 0.0) for o in OUTCOME_IDS})}
    # the strongest evidence for the outcome; among equals, the rule written first
    strongest = min(
        (e for e in evidence if e.outcome == outcome and e.cf > 0),
        key=lambda e: (-e.cf, order.get(e.rule, 0)),
        default=None,
    )
    return Run(
        facts=known,
        firings=tuple(firings),
        signals=tuple(signals),
        evidence=tuple(evidence),
        beliefs=beliefs,
        outcome=outcome,
        deciding_rule=strongest.rule if strongest else combiner,
        cautions=tuple(cautions),
        support={k: tuple(v) for k, v in declarers.items()},
    )


def _given(fact: Any) -> EvidenceGiven:
    return EvidenceGiven(fact["outcome"], fact["rule"], fact["cf"])


def support(trace: tuple[Firing, ...] | list[Firing], rule_id: str) -> list[Firing]:
    """Return the firings a rule's firing rests on: itself and, transitively, the declarers of its signals."""
    first_declarer: dict[str, Firing] = {}
    by_rule: dict[str, Firing] = {}
    for firing in trace:
        by_rule.setdefault(firing.rule, firing)
        for name in firing.declared_signals:
            first_declarer.setdefault(name, firing)
    needed: dict[int, Firing] = {}
    pending = [by_rule[rule_id]] if rule_id in by_rule else []
    while pending:
        firing = pending.pop()
        if firing.step in needed:
            continue
        needed[firing.step] = firing
        pending += [first_declarer[s] for s in firing.signals if s in first_declarer]
    return [needed[step] for step in sorted(needed)]
