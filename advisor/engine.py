"""The consultation engine: a compiled knowledge base, built once, run many times."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from advisor.compiler import (
    Caution,
    Dyad,
    Outranked,
    Proposal,
    Recommendation,
    Signal,
    compile_engine,
)
from advisor.facts import FactValue, KnownFacts, check_known
from advisor.rulebase import KnowledgeBase, load_knowledge_base


@dataclass(frozen=True)
class Firing:
    """One step of the trace: a rule fired on these facts and declared these conclusions."""

    step: int
    rule: str
    matched: dict[str, FactValue]
    signals: tuple[str, ...]
    declared: tuple[str, ...]
    proposal: str | None = None  # the outcome matched (resolve) or proposed (propose)


@dataclass(frozen=True)
class ProposalMade:
    """An outcome some rule proposed, with the priority that ranks it."""

    outcome: str
    rule: str
    priority: int


@dataclass(frozen=True)
class Run:
    """Everything one run of the engine concluded, in firing order."""

    facts: dict[str, FactValue]
    firings: tuple[Firing, ...]
    signals: tuple[str, ...]
    proposals: tuple[ProposalMade, ...]
    outcome: str
    deciding_rule: str
    cautions: tuple[str, ...]
    support: dict[str, tuple[str, ...]] = field(default_factory=dict)  # signal -> declaring rules


class Engine:
    """A knowledge base compiled into an experta engine; reuse one for every consultation."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self._experta = compile_engine(kb)()

    def run(self, facts: KnownFacts) -> Run:
        """Reset, declare the known facts, run to quiescence, and return what was concluded."""
        known = check_known(facts)
        engine = self._experta
        engine.reset()
        engine.declare(Dyad(**known))
        engine.run()
        return _collect(known, engine.firings)


@cache  # by argument, so that a call per case costs nothing; _engine shares across spellings
def get_engine(directory: Path | None = None) -> Engine:
    """Return the process-wide engine for a rules directory, compiling it on first use."""
    return _engine(load_knowledge_base(directory))


@cache
def _engine(kb: KnowledgeBase) -> Engine:
    """Compile one engine per knowledge base (knowledge bases compare by identity)."""
    return Engine(kb)


def _collect(known: dict[str, FactValue], raw: list[tuple[str, list[Any], list[Any]]]) -> Run:
    """Turn the engine's raw firings into a Run."""
    firings = []
    signals: list[str] = []
    support: dict[str, list[str]] = {}
    proposals: list[ProposalMade] = []
    cautions: list[str] = []
    outcome, deciding = "", ""
    for step, (rule_id, matched, declared) in enumerate(raw, start=1):
        facts = next((dict(f) for f in matched if type(f) is dict), {})
        used = tuple(f["name"] for f in matched if isinstance(f, Signal))
        names = []
        proposal = next((f["outcome"] for f in matched if isinstance(f, Proposal)), None)
        for fact in declared:
            if isinstance(fact, Signal):
                names.append(fact["name"])
                support.setdefault(fact["name"], []).append(rule_id)
                if fact["name"] not in signals:
                    signals.append(fact["name"])
            elif isinstance(fact, Proposal):
                names.append(f"proposal:{fact['outcome']}")
                proposal = fact["outcome"]
                proposals.append(ProposalMade(fact["outcome"], fact["rule"], fact["priority"]))
            elif isinstance(fact, Recommendation):
                names.append(f"recommendation:{fact['outcome']}")
                outcome, deciding = fact["outcome"], fact["rule"]
            elif isinstance(fact, Outranked):
                names.append(f"outranked:{fact['rule']}")
            elif isinstance(fact, Caution):
                names.append(f"caution:{fact['rule']}")
                cautions.append(fact["rule"])
        firings.append(Firing(step, rule_id, facts, used, tuple(names), proposal))
    return Run(
        facts=known,
        firings=tuple(firings),
        signals=tuple(signals),
        proposals=tuple(proposals),
        outcome=outcome,
        deciding_rule=deciding,
        cautions=tuple(cautions),
        support={k: tuple(v) for k, v in support.items()},
    )
