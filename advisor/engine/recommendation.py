"""A recommendation: the engine's outcome for a dyad, with its reasons and its trace."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from advisor.cases import Case
from advisor.engine.as_given import hinges_over_readings
from advisor.engine.certainty import CLEAR_MARGIN, Confidence, clarity, lead, robust, split
from advisor.engine.readings import Readings, applying
from advisor.engine.run import Engine, EvidenceGiven, Firing, Run, Supports, get_engine, support
from advisor.facts import ALL_FACTS, FACT_NAMES, Facts, FactValue, as_known, fact_label, join, show
from advisor.optional import not_given
from advisor.outcomes import label
from advisor.rulebase import KnowledgeBase


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
    deciding_rule: str  # the strongest evidence for the outcome (POL-01 if none)
    belief: float  # the outcome's combined certainty factor
    runner_up: str | None  # the next-best supported outcome
    margin: float  # belief minus the runner-up's belief
    beliefs: dict[str, float]  # every outcome's combined certainty factor, best first
    evidence: tuple[EvidenceGiven, ...]  # every piece of evidence given, in firing order
    facts: dict[str, FactValue]
    signals: tuple[str, ...]  # every signal the run declared, in firing order
    signals_for: tuple[str, ...]
    signals_against: tuple[str, ...]
    cautions: tuple[CautionNote, ...]
    trace: tuple[Firing, ...]
    kb: KnowledgeBase
    readings: dict[str, float] = field(default_factory=dict)  # outcome -> share of readings (contested facts)
    readings_sampled: bool = False
    contested: dict[str, tuple[FactValue, ...]] = field(default_factory=dict)  # fact -> the values read
    defaulted: tuple[str, ...] = ()  # the optional facts not given, read at their default
    # the contested facts that split the readings (Readings.splitting); None when they were sampled
    splitting: tuple[str, ...] | None = ()

    @property
    def robust(self) -> bool:
        """Say whether every reading of the contested facts gives the recommended outcome."""
        return robust(self.readings, self.outcome)

    def readings_fields(self) -> dict[str, Any]:
        """Return the JSON fields on the readings of contested facts (one reading when none is)."""
        return {
            "readings": dict(self.readings or {self.outcome: 1.0}),
            "readings_sampled": self.readings_sampled,
            "robust": self.robust,
            "contested": {k: list(v) for k, v in self.contested.items()},
        }

    def readings_sentence(self) -> str:
        """Say how the advice depends on the readings of the contested facts: when it changes, with
        which of them (those that split the readings; all of them when the readings were sampled)."""
        shares = ", ".join(f"{label(o)} {share:.0%}" for o, share in self.readings.items())
        count = "a sample of the readings" if self.readings_sampled else "every reading"
        if self.robust:
            return f"robust: the same advice over {count} of {_facts(self.contested)} ({shares})"
        movers = tuple(self.contested) if self.splitting is None else self.splitting
        said = f"not robust: the advice changes with {_facts(movers)} ({shares} of {count})"
        still = [f for f in self.contested if f not in movers]
        if still:
            said += f"; {_facts(still)} {'does' if len(still) == 1 else 'do'} not change it"
        return said

    def followed_reading(self) -> str:
        """Say which reading of the contested facts the reasoning follows (one that gives the advice)."""
        read = [f"{fact_label(f)} {show(f, self.facts[f])}" for f in self.contested if f in self.facts]
        values = ", ".join(read)
        return f"The reasoning shown follows one reading that gives this advice: {values}."

    def contested_values(self, fact: str) -> str:
        """Return a contested fact's values as said to a reader: 'moderate or high'."""
        return " or ".join(show(fact, value) for value in self.contested[fact])

    @property
    def label(self) -> str:
        """Return the outcome's display name."""
        return label(self.outcome)

    @property
    def split(self) -> bool:
        """Say whether no more than half of the readings of the contested facts give the outcome."""
        return split(self.readings, self.outcome)

    @property
    def rival(self) -> str | None:
        """Return the outcome the recommendation is weighed against: the one most of the other readings
        give when the readings split on it (``split``), else the runner-up of the reading followed."""
        if self.split:
            return next((o for o in self.readings if o != self.outcome), self.runner_up)
        return self.runner_up

    def split_shares(self) -> str | None:
        """Say how the readings split on the outcome ('only 50% of the readings give it, 50% give
        Alliance'); None when more than half of them give it."""
        if not self.split or self.rival is None:
            return None
        rival = label(self.rival)
        return (
            f"only {self.readings.get(self.outcome, 0.0):.0%} of the readings give it, "
            f"{self.readings.get(self.rival, 0.0):.0%} give {rival}"
        )

    def confidence_sentence(self) -> str:
        """Say how clear the advice is, in words and numbers, as ``advise`` and the brief print it."""
        if self.runner_up is None:
            return f"{self.confidence} (belief {self.belief:+.2f})"
        second, against = label(self.runner_up), self.beliefs[self.runner_up]
        shares = self.split_shares()
        if shares and self.rival is not None:
            return (
                f"a close call between {self.label} and {label(self.rival)} ({shares}; in the reading "
                f"followed, belief {self.belief:+.2f} against {second} at {against:+.2f})"
            )
        if self.confidence == "close":
            return (
                f"a close call between {self.label} and {second} "
                f"(belief {self.belief:+.2f} against {against:+.2f})"
            )
        caveat = self.why_not_clear()
        return (
            f"{self.confidence} (belief {self.belief:+.2f}, ahead of {second} at {against:+.2f} "
            f"by {self.margin:.2f}" + (f"; {caveat})" if caveat else ")")
        )

    @property
    def confidence(self) -> Confidence:
        """Say how far the outcome leads the runner-up: clear, leaning or close.

        A lead of CLEAR_MARGIN is clear only if it holds: the advice is robust over
        the readings of contested facts, and no one-notch change of an answer alters it.
        """
        return clarity(self.margin, outcome=self.outcome, readings=self.readings, hinges_on=self.hinges_on)

    def why_not_clear(self) -> str | None:
        """Say why a lead of CLEAR_MARGIN or more is not called clear (None if it is, or is smaller)."""
        if self.margin < CLEAR_MARGIN or self.confidence != "leaning":
            return None
        if self.hinges_on:
            return f"a one-notch change in {join(map(fact_label, self.hinges_on), 'or')} would alter it"
        return "it does not hold over every reading of the contested facts"

    @cached_property
    def hinges_on(self) -> tuple[str, ...]:
        """Return the facts a one-notch change of which alters the outcome (contested ones aside). An
        optional fact not given is read at its default, and moved like an answer where it applies: a
        group's advice that turns on it is not clear because the file left it out. With contested
        facts the outcome is the case's, not the reading followed's: what most readings give after
        the change (exactly what ``advise`` says of the case edited so)."""
        return hinges_over_readings(self.kb, self.facts, self.outcome, self.contested)

    @property
    def unknown(self) -> tuple[str, ...]:
        """Return the facts the engine reasoned without."""
        return tuple(name for name in FACT_NAMES if name not in self.facts)

    def evidence_on(self, outcome: str) -> tuple[EvidenceGiven, ...]:
        """Return the evidence for and against one outcome, strongest first."""
        return tuple(sorted((e for e in self.evidence if e.outcome == outcome), key=lambda e: -abs(e.cf)))

    def chain(self) -> list[Firing]:
        """Return the firings the deciding evidence rests on, in firing order (how it was reached)."""
        return support(self.trace, self.deciding_rule)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object of ``advisor advise --json`` (docs/case-format.md), with extra detail."""
        return {
            "case": self.case,
            **outcome_fields(self.outcome, self.deciding_rule),
            "confidence": self.confidence,
            "runner_up": self.runner_up,
            "hinges_on": list(self.hinges_on),
            **self.readings_fields(),
            "belief": self.belief,
            "margin": self.margin,
            "beliefs": dict(self.beliefs),
            "evidence": [
                {"rule": e.rule, "outcome": e.outcome, "cf": e.cf, "title": self.kb.rule(e.rule).title}
                for e in self.evidence
            ],
            "signals_for": list(self.signals_for),
            "signals_against": list(self.signals_against),
            "cautions": [{"rule": c.rule, "text": c.text} for c in self.cautions],
            "unknown_facts": list(self.unknown),
            "facts": {k: self.facts[k] for k in ALL_FACTS if k in self.facts},
            "defaulted_facts": list(self.defaulted),
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


def outcome_fields(outcome: str, deciding_rule: str) -> dict[str, str]:
    """Return how every JSON output names an outcome: its id, its label, the deciding rule."""
    return {"recommendation": outcome, "label": label(outcome), "deciding_rule": deciding_rule}


def advise(
    subject: Case | Facts | Mapping[str, FactValue],
    *,
    rules: Path | None = None,
    engine: Engine | None = None,
) -> Recommendation:
    """Run the knowledge base on a case or on facts (any subset) and return the Recommendation.

    A case with contested or unknown facts is reasoned over every reading (see ``over_readings``).
    """
    engine = engine or get_engine(rules)
    if isinstance(subject, Case) and subject.contested:
        return over_readings(subject, engine)
    case_id = subject.id if isinstance(subject, Case) else None
    facts = subject.facts if isinstance(subject, Case) else subject
    rec = recommendation_from_run(engine.run(as_known(facts)), engine.kb, case_id)
    return replace(rec, defaulted=not_given(facts)) if isinstance(facts, Facts) else rec


def over_readings(case: Case, engine: Engine) -> Recommendation:
    """Reason over every reading of a case's contested facts and recommend what most readings give.

    The engine runs on the first reading that gives the most common outcome, so
    that the explanation, trace and cautions are those of a real run.
    """
    rec = over_facts(as_known(case.facts), case.contested, engine, case.id)
    return replace(rec, defaulted=not_given(case.facts))


def over_facts(
    base: Mapping[str, FactValue],
    contested: Mapping[str, tuple[FactValue, ...]],
    engine: Engine,
    case_id: str | None = None,
) -> Recommendation:
    """Reason over every reading of contested facts on top of other facts (any subset, as in
    ``advise``): what ``over_readings`` does for a case, for answers that leave some facts out.
    A contested fact that does not apply (``standing_commitment`` for a pair) is not read several
    ways, and is not among the recommendation's ``contested`` facts."""
    read = applying(base, contested)
    readings = Readings.of(engine.kb, base, read)
    shares, sampled, facts = readings.shares()
    rec = recommendation_from_run(engine.run(facts), engine.kb, case_id)
    moving = readings.splitting() if len(shares) > 1 else ()
    return replace(rec, readings=shares, readings_sampled=sampled, contested=read, splitting=moving)


def recommendation_from_run(run: Run, kb: KnowledgeBase, case_id: str | None = None) -> Recommendation:
    """Build a Recommendation from a finished engine run."""
    runner_up, margin = lead(run.beliefs, run.outcome)
    belief = run.beliefs[run.outcome]
    pro = [e.rule for e in run.evidence if e.outcome == run.outcome and e.cf > 0]
    con = [e.rule for e in run.evidence if (e.outcome == run.outcome) != (e.cf > 0)]
    supports = Supports(run.firings)
    signals_for = _signals_of(supports, pro)
    against = tuple(s for s in _signals_of(supports, con) if s not in signals_for)
    cautions = tuple(CautionNote(r, kb.rule(r).caution or "") for r in run.cautions)
    return Recommendation(
        case=case_id,
        outcome=run.outcome,
        deciding_rule=run.deciding_rule,
        belief=belief,
        runner_up=runner_up,
        margin=margin,
        beliefs=dict(run.beliefs),
        evidence=run.evidence,
        facts=run.facts,
        signals=run.signals,
        signals_for=signals_for,
        signals_against=against,
        cautions=cautions,
        trace=run.firings,
        kb=kb,
        readings={run.outcome: 1.0},
    )


def _facts(names: Iterable[str]) -> str:
    """Name facts as a reader does: 'threat level and entrapment risk'."""
    return join(map(fact_label, names))


def _signals_of(supports: Supports, rules: list[str]) -> tuple[str, ...]:
    """Return the signals the given evidence rules rest on, without repeats, in order of the rules."""
    found: list[str] = []
    for rule in rules:
        for firing in supports.of(rule):
            found += [n for n in firing.declared_signals if n not in found]
    return tuple(found)


__all__ = [
    "CautionNote",
    "Recommendation",
    "advise",
    "firing_to_dict",
    "over_facts",
    "over_readings",
    "recommendation_from_run",
]
