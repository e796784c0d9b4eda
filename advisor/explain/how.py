"""How the advisor reached its outcome: the evidence on every outcome (ledgers), and the chain of
rules from the facts to the strongest reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from advisor.engine import Confidence, Engine, EvidenceGiven, Recommendation, outcome_fields, support
from advisor.explain.subject import Subject, resolve
from advisor.facts import FactValue, fact_label, join, show
from advisor.outcomes import label


@dataclass(frozen=True)
class Reason:
    """A signal a step rested on, and the step that declared it (``None`` once already explained)."""

    signal: str
    meaning: str
    step: ChainStep | None

    def to_dict(self) -> dict[str, Any]:
        """Return the reason as JSON data."""
        step = self.step.to_dict() if self.step else None
        return {"signal": self.signal, "meaning": self.meaning, "because": step}


@dataclass(frozen=True)
class ChainStep:
    """One rule of the chain: what it concluded, why (its rationale), and what it rested on."""

    rule: str
    title: str
    conclusion: str
    rationale: str
    facts: tuple[str, ...]  # the input facts it matched, in plain language
    reasons: tuple[Reason, ...]
    absent: tuple[tuple[str, str], ...]  # (signal, meaning) that had to be absent

    def to_dict(self) -> dict[str, Any]:
        """Return the step and everything below it as JSON data."""
        return {
            "rule": self.rule,
            "title": self.title,
            "concludes": self.conclusion,
            "rationale": self.rationale,
            "facts": list(self.facts),
            "signals": [r.to_dict() for r in self.reasons],
            "absent": [{"signal": s, "meaning": m} for s, m in self.absent],
        }


@dataclass(frozen=True)
class Weight:
    """One piece of evidence on an outcome: the rule, its certainty factor, and the facts behind it."""

    rule: str
    title: str
    cf: float
    facts: tuple[str, ...]  # the input facts it rested on, in plain language

    def to_dict(self) -> dict[str, Any]:
        """Return the piece of evidence as JSON data."""
        return {"rule": self.rule, "title": self.title, "cf": self.cf, "facts": list(self.facts)}


@dataclass(frozen=True)
class Ledger:
    """Everything said for and against one outcome, and what it added up to."""

    outcome: str
    belief: float
    pro: tuple[Weight, ...]  # strongest first
    con: tuple[Weight, ...]  # strongest first

    @property
    def label(self) -> str:
        """Return the outcome's display name."""
        return label(self.outcome)

    def to_dict(self) -> dict[str, Any]:
        """Return the ledger as JSON data."""
        return {
            "outcome": self.outcome,
            "label": self.label,
            "belief": self.belief,
            "for": [w.to_dict() for w in self.pro],
            "against": [w.to_dict() for w in self.con],
        }


@dataclass(frozen=True)
class How:
    """How the advisor reached its outcome: the evidence on every outcome, and the chain of the strongest."""

    case: str | None
    outcome: str
    deciding_rule: str
    belief: float
    runner_up: str | None
    margin: float
    confidence: Confidence
    caveat: str | None  # why a wide lead is not clear (Recommendation.why_not_clear)
    root: ChainStep
    ledgers: tuple[Ledger, ...]  # every outcome, best supported first
    split: str | None = None  # how the readings split on an outcome half of them or fewer give

    @property
    def label(self) -> str:
        """Return the outcome's display name."""
        return label(self.outcome)

    def ledger(self, outcome: str) -> Ledger:
        """Return the ledger of one outcome."""
        return next(x for x in self.ledgers if x.outcome == outcome)

    def sentence(self) -> str:
        """Say the outcome, how clear it is, and its strongest reason in one sentence."""
        lead = {"clear": "a clear lead", "leaning": "a lead", "close": "a close call"}[self.confidence]
        rival = ""
        if self.runner_up is not None:
            rival = f" over {label(self.runner_up)} ({self.ledger(self.runner_up).belief:+.2f})"
        reason = ""
        if self.deciding_rule in {w.rule for w in self.ledger(self.outcome).pro}:
            reason = f"; the strongest reason is {self.deciding_rule} ({self.root.title.rstrip('.')})"
        caveat = f", not a clear one: {self.caveat}" if self.caveat else ""
        if self.split:
            lead, caveat = (
                "a lead in the reading followed",
                f", but a close call over the readings: {self.split}",
            )
        return (
            f"The advisor recommends {self.label}: its evidence adds up to {self.belief:+.2f}, "
            f"{lead}{rival}{caveat}{reason}."
        )

    def counterweights(self) -> list[str]:
        """Say what counted against the outcome or for its runner-up, and that it was outweighed."""
        lines = []
        mine = self.ledger(self.outcome)
        for weight in mine.con:
            because = join(weight.facts) if weight.facts else weight.title.lower()
            lines.append(
                f"{because} counted against {self.label} ({weight.rule}, {weight.cf:+.2f}); "
                f"the evidence for it outweighed that."
            )
        if self.runner_up is not None:
            rival = self.ledger(self.runner_up)
            for weight in rival.pro[:3]:
                because = join(weight.facts) if weight.facts else weight.title.lower()
                lines.append(
                    f"{because} counted for {rival.label} ({weight.rule}, {weight.cf:+.2f}), "
                    f"which ended at {rival.belief:+.2f} against {self.belief:+.2f}."
                )
        return lines

    def to_dict(self) -> dict[str, Any]:
        """Return the explanation as JSON data."""
        return {
            "case": self.case,
            **outcome_fields(self.outcome, self.deciding_rule),
            "belief": self.belief,
            "confidence": self.confidence,
            "runner_up": self.runner_up,
            "margin": self.margin,
            "sentence": self.sentence(),
            "counterweights": self.counterweights(),
            "chain": self.root.to_dict(),
            "ledgers": [x.to_dict() for x in self.ledgers],
        }


def how(subject: Subject, *, engine: Engine | None = None) -> How:
    """Explain how the outcome was reached: every outcome's evidence, and the strongest reason's chain."""
    _, rec = resolve(subject, engine)
    declarer: dict[str, int] = {}
    for index, firing in enumerate(rec.trace):
        for name in firing.declared_signals:
            declarer.setdefault(name, index)
    start = next(i for i, f in enumerate(rec.trace) if f.rule == rec.deciding_rule)
    root = _step(rec, start, declarer, set())
    return How(
        rec.case,
        rec.outcome,
        rec.deciding_rule,
        rec.belief,
        rec.runner_up,
        rec.margin,
        rec.confidence,
        rec.why_not_clear(),
        root,
        ledgers(rec),
        rec.split_shares(),
    )


def ledgers(rec: Recommendation) -> tuple[Ledger, ...]:
    """Return every outcome's ledger, best supported first."""
    result = []
    for outcome, belief in rec.beliefs.items():
        pieces = [_weight(rec, e) for e in rec.evidence_on(outcome)]
        pro = tuple(w for w in pieces if w.cf > 0)
        con = tuple(w for w in pieces if w.cf < 0)
        result.append(Ledger(outcome, belief, pro, con))
    return tuple(result)


def _weight(rec: Recommendation, evidence: EvidenceGiven) -> Weight:
    """Return a piece of evidence with the input facts its rule rested on."""
    facts: dict[str, FactValue] = {}
    for firing in support(rec.trace, evidence.rule):
        facts.update(firing.matched)
    plain = tuple(_fact(rec, k, v) for k, v in facts.items())
    return Weight(evidence.rule, rec.kb.rule(evidence.rule).title, evidence.cf, plain)


def _step(rec: Recommendation, index: int, declarer: dict[str, int], seen: set[int]) -> ChainStep:
    """Build the step for one firing and, once each, the steps of the signals it used."""
    firing, kb = rec.trace[index], rec.kb
    rule = kb.rule(firing.rule)
    seen.add(index)
    reasons = []
    for signal in firing.signals:
        source = declarer.get(signal)
        below = _step(rec, source, declarer, seen) if source is not None and source not in seen else None
        reasons.append(Reason(signal, kb.signals[signal], below))
    facts = tuple(_fact(rec, k, v) for k, v in firing.matched.items())
    absent = tuple((s, kb.signals[s]) for s in rule.without)
    return ChainStep(rule.id, rule.title, rule.conclusion(), rule.rationale, facts, tuple(reasons), absent)


def _fact(rec: Recommendation, fact: str, value: FactValue) -> str:
    """Say a fact a rule matched; a contested fact's value is marked as the reading's, beside the answer."""
    said = f"{fact_label(fact)} is {show(fact, value)}"
    if fact in rec.contested:
        said += f" in the reading followed (the answer: {rec.contested_values(fact)})"
    return said
