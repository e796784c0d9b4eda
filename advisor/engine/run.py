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
        # what a rule's firing concludes, read once per rule: only the combine rule's varies
        self._fixed: dict[str, _Concluded | None] = {r.id: None for r in kb.rules if r.kind != "combine"}

    def run(self, facts: KnownFacts, *, trace: bool = True) -> Run:
        """Reset, declare the known facts, run to quiescence, and return what was concluded.

        Without ``trace``, the Run's ``firings`` are left empty (all else is the same): a batch
        that keeps only the outcome need not build a Firing for every step.
        """
        known = check_known(facts)
        engine = self._experta
        engine.matching = trace  # without a trace, a firing need not keep what it matched
        engine.reset()
        engine.declare_built(fresh(Dyad, known))  # checked: known facts, each a str or a bool
        engine.run()
        return _collect(known, engine.firings, self._order, self._fixed, trace=trace)


@cache  # by argument, so that a call per case costs nothing; _engine shares across spellings
def get_engine(directory: Path | None = None) -> Engine:
    """Return the process-wide engine for a rules directory, compiling it on first use."""
    return _engine(load_knowledge_base(directory))


@cache
def _engine(kb: KnowledgeBase) -> Engine:
    """Compile one engine per knowledge base (knowledge bases compare by identity)."""
    return Engine(kb)


@dataclass(frozen=True)
class _Concluded:
    """What the facts one firing declared say, for the trace and the run."""

    names: tuple[str, ...]  # for display: a signal's name, or "kind:subject"
    signals: tuple[str, ...]
    evidence: tuple[EvidenceGiven, ...]
    beliefs: tuple[tuple[str, float], ...]
    chosen: str | None
    cautions: tuple[str, ...]


def _concluded(declared: list[Any]) -> _Concluded:
    """Read the facts one firing declared."""
    names: list[str] = []
    signals: list[str] = []
    evidence: list[EvidenceGiven] = []
    beliefs: list[tuple[str, float]] = []
    chosen: str | None = None
    cautions: list[str] = []
    for fact in declared:
        if isinstance(fact, Signal):
            names.append(fact["name"])
            signals.append(fact["name"])
        elif isinstance(fact, Evidence) and fact["rule"] != OPENING:
            names.append(f"evidence:{fact['outcome']}")
            evidence.append(_given(fact))
        elif isinstance(fact, Belief):
            names.append(f"belief:{fact['outcome']}")
            beliefs.append((fact["outcome"], fact["cf"]))
        elif isinstance(fact, Chosen):
            names.append(f"recommendation:{fact['outcome']}")
            chosen = fact["outcome"]
        elif isinstance(fact, Outranked):
            names.append(f"outranked:{fact['outcome']}")
        elif isinstance(fact, Caution):
            names.append(f"caution:{fact['rule']}")
            cautions.append(fact["rule"])
    return _Concluded(tuple(names), tuple(signals), tuple(evidence), tuple(beliefs), chosen, tuple(cautions))


def _collect(
    known: dict[str, FactValue],
    raw: list[tuple[str, list[Any], list[Any]]],
    order: dict[str, int],
    fixed: dict[str, _Concluded | None] | None = None,
    *,
    trace: bool = True,
) -> Run:
    """Turn the engine's raw firings into a Run.

    ``fixed`` has the rules whose conclusions never vary (every rule but the
    combine rule), each with what its conclusions say once read (None before).
    """
    fixed = {} if fixed is None else fixed
    firings = []
    signals: dict[str, None] = {}
    declarers: dict[str, list[str]] = {}
    evidence: list[EvidenceGiven] = []
    beliefs: dict[str, float] = {}
    cautions: list[str] = []
    outcome, combiner = "", ""
    for step, (rule_id, matched, declared) in enumerate(raw, start=1):
        said = fixed.get(rule_id)
        if said is None:
            said = _concluded(declared)
            if rule_id in fixed:
                fixed[rule_id] = said
        for name in said.signals:
            declarers.setdefault(name, []).append(rule_id)
            signals[name] = None
        evidence += said.evidence
        if said.beliefs:
            beliefs.update(said.beliefs)
            combiner = rule_id
        if said.chosen is not None:
            outcome, combiner = said.chosen, rule_id
        cautions += said.cautions
        if trace:
            firings.append(_firing(step, rule_id, matched, said))
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


def _firing(step: int, rule_id: str, matched: list[Any], said: _Concluded) -> Firing:
    """Return one step of the trace: what a firing matched, and what it concluded."""
    facts: dict[str, FactValue] | None = None
    used: list[str] = []
    given = None
    for f in matched:
        if type(f) is dict:
            if facts is None:
                facts = dict(f)
        elif isinstance(f, Signal):
            used.append(f["name"])
        elif given is None and isinstance(f, Evidence) and f["rule"] != OPENING:
            given = _given(f)
    if said.evidence:
        given = said.evidence[-1]
    return Firing(step, rule_id, facts or {}, tuple(used), said.names, given, said.signals)


def _given(fact: Any) -> EvidenceGiven:
    return EvidenceGiven(fact["outcome"], fact["rule"], fact["cf"])


def support(trace: tuple[Firing, ...] | list[Firing], rule_id: str) -> list[Firing]:
    """Return the firings a rule's firing rests on: itself and, transitively, the declarers of its signals."""
    return Supports(trace).of(rule_id)


class Supports:
    """What each firing of one trace rests on (``support``), the trace indexed once for many rules."""

    def __init__(self, trace: tuple[Firing, ...] | list[Firing]):
        self.first_declarer: dict[str, Firing] = {}
        self.by_rule: dict[str, Firing] = {}
        for firing in trace:
            self.by_rule.setdefault(firing.rule, firing)
            for name in firing.declared_signals:
                self.first_declarer.setdefault(name, firing)

    def of(self, rule_id: str) -> list[Firing]:
        """Return the firings a rule's firing rests on, in firing order (see ``support``)."""
        first_declarer = self.first_declarer
        needed: dict[int, Firing] = {}
        pending = [self.by_rule[rule_id]] if rule_id in self.by_rule else []
        while pending:
            firing = pending.pop()
            if firing.step in needed:
                continue
            needed[firing.step] = firing
            pending += [first_declarer[s] for s in firing.signals if s in first_declarer]
        return [needed[step] for step in sorted(needed)]
