"""A recommendation: the engine's outcome for a dyad, with its reasons and its trace."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.cases import Case
from advisor.engine import Engine, Firing, ProposalMade, Run, get_engine
from advisor.facts import FACT_NAMES, Facts, FactValue, as_known
from advisor.outcomes import label
from advisor.rulebase import KnowledgeBase


@dataclass(frozen=True)
class LosingProposal:
    """An outcome that was proposed but lost, and the rule it lost to."""

    outcome: str
    rule: str
    priority: int
    lost_to: str


@dataclass(frozen=True)
class CautionNote:
    """A warning that accompanies the recommendation."""

    rule: str
    text: str


@dataclass(frozen=True)
class Recommendation:
    """What the advisor recommends for one dyad, why, and how it got there."""

    case: str | None
    outcome: str
    deciding_rule: str
    priority: int
    facts: dict[str, FactValue]
    signals: tuple[str, ...]  # every signal the run declared, in firing order
    signals_for: tuple[str, ...]
    signals_against: tuple[str, ...]
    losing: tuple[LosingProposal, ...]  # proposals of other outcomes, best first
    corroborating: tuple[ProposalMade, ...]  # other proposals of the same outcome
    cautions: tuple[CautionNote, ...]
    trace: tuple[Firing, ...]
    kb: KnowledgeBase

    @property
    def label(self) -> str:
        """Return the outcome's display name."""
        return label(self.outcome)

    @property
    def unknown(self) -> tuple[str, ...]:
        """Return the facts the engine reasoned without."""
        return tuple(name for name in FACT_NAMES if name not in self.facts)

    def chain(self) -> list[Firing]:
        """Return the firings the outcome rests on, in firing order (how it was reached)."""
        return support(self.trace, self.deciding_rule)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object of FACTS.md (``advisor advise --json``), with extra detail."""
        return {
            "case": self.case,
            "recommendation": self.outcome,
            "label": self.label,
            "deciding_rule": self.deciding_rule,
            "priority": self.priority,
            "signals_for": list(self.signals_for),
            "signals_against": list(self.signals_against),
            "losing_proposals": [
                {"outcome": p.outcome, "rule": p.rule, "priority": p.priority, "lost_to": p.lost_to}
                for p in self.losing
            ],
            "supporting_proposals": [
                {"outcome": p.outcome, "rule": p.rule, "priority": p.priority} for p in self.corroborating
            ],
            "cautions": [{"rule": c.rule, "text": c.text} for c in self.cautions],
            "unknown_facts": list(self.unknown),
            "facts": {k: self.facts[k] for k in FACT_NAMES if k in self.facts},
            "trace": [firing_to_dict(f) for f in self.trace],
        }


def firing_to_dict(firing: Firing) -> dict[str, Any]:
    """Return one trace step as JSON data."""
    return {
        "step": firing.step,
        "rule": firing.rule,
        "matched": dict(firing.matched),
        "signals": list(firing.signals),
        "declared": list(firing.declared),
    }


def advise(
    subject: Case | Facts | Mapping[str, FactValue],
    *,
    rules: Path | None = None,
    engine: Engine | None = None,
) -> Recommendation:
    """Run the knowledge base on a case or on facts (any subset) and return the Recommendation."""
    engine = engine or get_engine(rules)
    case_id = subject.id if isinstance(subject, Case) else None
    facts = subject.facts if isinstance(subject, Case) else subject
    return recommendation_from_run(engine.run(as_known(facts)), engine.kb, case_id)


def recommendation_from_run(run: Run, kb: KnowledgeBase, case_id: str | None = None) -> Recommendation:
    """Build a Recommendation from a finished engine run."""
    winner = next(p for p in run.proposals if p.rule == run.deciding_rule)
    ranked = sorted(run.proposals, key=lambda p: -p.priority)
    same = [p for p in ranked if p.outcome == winner.outcome]
    others = [p for p in ranked if p.outcome != winner.outcome]
    signals_for = _signals_of(run.firings, same)
    against = tuple(s for s in _signals_of(run.firings, others) if s not in signals_for)
    losing = tuple(LosingProposal(p.outcome, p.rule, p.priority, winner.rule) for p in others)
    cautions = tuple(CautionNote(r, kb.rule(r).caution or "") for r in run.cautions)
    return Recommendation(
        case=case_id,
        outcome=run.outcome,
        deciding_rule=run.deciding_rule,
        priority=winner.priority,
        facts=run.facts,
        signals=run.signals,
        signals_for=signals_for,
        signals_against=against,
        losing=losing,
        corroborating=tuple(p for p in same if p is not winner),
        cautions=cautions,
        trace=run.firings,
        kb=kb,
    )


def support(trace: tuple[Firing, ...] | list[Firing], rule_id: str) -> list[Firing]:
    """Return the firings a rule's firing rests on: itself and, transitively, the declarers of its signals."""
    first_declarer: dict[str, Firing] = {}
    by_rule: dict[str, Firing] = {}
    for firing in trace:
        by_rule.setdefault(firing.rule, firing)
        for name in firing.declared:
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


def _signals_of(trace: tuple[Firing, ...], proposals: list[ProposalMade]) -> tuple[str, ...]:
    """Return the signals the given proposals rest on, without repeats, in order of the proposals."""
    found: list[str] = []
    for proposal in proposals:
        for firing in support(trace, proposal.rule):
            found += [n for n in firing.declared if ":" not in n and n not in found]
    return tuple(found)


__all__ = [
    "CautionNote",
    "LosingProposal",
    "ProposalMade",
    "Recommendation",
    "advise",
    "recommendation_from_run",
    "support",
]
