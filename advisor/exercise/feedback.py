"""Feedback on a submission: each fact against the reference, what each difference does, and a score.

Whether one fact "changes the advice" is found by running the advisor twice: on
the reference coding, and on the reference coding with only that fact set to the
student's value. The rules that fired in one run and not in the other made the
difference; the first of them is cited with its seed passage. Only ``advise``'s
outcome and trace are used, so this holds whatever the engine's inner workings.

Runs are cached by their facts (an ``Analyst``): a class of submissions of the
same scenario shares most of them. For a whole class, ``Analyst.prefetch`` runs
every coding that will be needed at once, across worker processes (joblib's loky
backend) when there are many.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from advisor.exercise.model import PARTS, Pack, Rubric, Scenario
from advisor.exercise.submission import Answer, Submission, show_answer
from advisor.facts import FACT_NAMES, FactValue, scales
from advisor.outcomes import label

PARALLEL_FROM = 150  # below this many new runs, starting worker processes costs more than it saves
Coding = tuple[tuple[str, FactValue], ...]  # facts as a sorted tuple: a cache key, and cheap to send


def run_codings(codings: list[Coding]) -> list[tuple[str, tuple[str, ...]]]:
    """Run the advisor on each coding; return (outcome, fired rules once each) per coding (a worker's job)."""
    from advisor.recommendation import advise

    found = []
    for coding in codings:
        rec = advise(dict(coding))
        found.append((rec.outcome, tuple(dict.fromkeys(f.rule for f in rec.trace))))
    return found


@dataclass(frozen=True)
class Run:
    """What one advisor run concluded, reduced to what feedback needs."""

    outcome: str
    rules: tuple[str, ...]  # the rules that fired, once each, in firing order


@dataclass(frozen=True)
class Difference:
    """How one fact's value moves the advice away from the reference's, and the rule behind it."""

    fact: str
    value: FactValue
    before: str  # the outcome for the reference coding
    after: str  # the outcome with only this fact changed
    rule: str | None = None
    title: str | None = None
    seed: str | None = None
    passage: str | None = None

    @property
    def changes_advice(self) -> bool:
        """Return whether this value alone gives another outcome."""
        return self.before != self.after


class Analyst:
    """Runs the advisor on codings and remembers the results (engine-agnostic: outcome and trace only)."""

    def __init__(self) -> None:
        self.runs: dict[Coding, Run] = {}
        self.mattering: dict[Coding, frozenset[str]] = {}

    def run(self, facts: dict[str, FactValue]) -> Run:
        """Return the advisor's outcome and fired rules for a coding (any subset of the facts)."""
        key = tuple(sorted(facts.items()))
        if key not in self.runs:
            [(outcome, rules)] = run_codings([key])
            self.runs[key] = Run(outcome, rules)
        return self.runs[key]

    def prefetch(self, codings: Iterable[dict[str, FactValue]], *, jobs: int | None = None) -> None:
        """Run every coding not run yet, across worker processes when there are many."""
        keys = list(
            dict.fromkeys(k for k in (tuple(sorted(c.items())) for c in codings) if k not in self.runs)
        )
        jobs = jobs or min(os.cpu_count() or 1, 4)
        if len(keys) < PARALLEL_FROM or jobs < 2:
            results = run_codings(keys)
        else:
            from joblib import Parallel, delayed

            size = -(-len(keys) // (jobs * 4))
            chunks = [keys[i : i + size] for i in range(0, len(keys), size)]
            results = [
                r
                for part in Parallel(n_jobs=jobs, backend="loky")(
                    delayed(run_codings)(chunk) for chunk in chunks
                )
                for r in part
            ]
        for key, (outcome, rules) in zip(keys, results, strict=True):
            self.runs[key] = Run(outcome, rules)

    @staticmethod
    def alternatives(reference: dict[str, FactValue]) -> list[dict[str, FactValue]]:
        """Return the reference and every coding that differs from it in one fact (what ``matters`` runs)."""
        return [reference] + [
            {**reference, fact: v}
            for fact in FACT_NAMES
            for v in scales()[fact].values
            if v != reference[fact]
        ]

    def difference(self, reference: dict[str, FactValue], fact: str, value: FactValue) -> Difference:
        """Compare the reference run with one where only ``fact`` is ``value``; cite a rule between."""
        before = self.run(reference)
        after = self.run({**reference, fact: value})
        fired_now = [r for r in after.rules if r not in before.rules]
        fired_before = [r for r in before.rules if r not in after.rules]
        found = Difference(fact, value, before.outcome, after.outcome)
        if before.outcome == after.outcome or not (fired_now or fired_before):
            return found
        from advisor.rulebase import load_knowledge_base

        rule = load_knowledge_base().rule((fired_now or fired_before)[0])
        return Difference(
            fact,
            value,
            before.outcome,
            after.outcome,
            rule=rule.id,
            title=rule.title,
            seed=rule.source.seed,
            passage=rule.source.passage,
        )

    def matters(self, reference: dict[str, FactValue]) -> frozenset[str]:
        """Return the facts for which some other value, alone, changes the reference's advice."""
        key = tuple(sorted(reference.items()))
        if key not in self.mattering:
            outcome = self.run(reference).outcome
            self.mattering[key] = frozenset(
                fact
                for fact in FACT_NAMES
                if any(
                    self.run({**reference, fact: v}).outcome != outcome
                    for v in scales()[fact].values
                    if v != reference[fact]
                )
            )
        return self.mattering[key]


@dataclass(frozen=True)
class FactFeedback:
    """One fact: the student's answer against the reference, and what the difference does."""

    fact: str
    yours: Answer
    reference: FactValue
    why: str
    matters: bool  # some other value of this fact alone changes the reference's advice
    difference: Difference | None = (
        None  # for a differing answer: the first of its values that moves the advice
    )

    @property
    def agrees(self) -> bool:
        """Return whether the student gave the reference value (unknown and contested never agree)."""
        return self.yours == self.reference

    @property
    def contested(self) -> bool:
        """Return whether the student answered unknown or gave several values."""
        return self.yours is None or isinstance(self.yours, tuple)

    @property
    def changes_advice(self) -> bool:
        """Return whether the student's answer (any of its readings) alone moves the advice."""
        return self.difference is not None and self.difference.changes_advice

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON of FACTS.md's ``facts`` entries, with extra detail."""
        data: dict[str, Any] = {
            "fact": self.fact,
            "yours": show_answer(self.yours, raw=True),
            "reference": self.reference,
            "agrees": self.agrees,
            "changes_advice": self.changes_advice,
            "matters": self.matters,
        }
        if not self.agrees:
            data["why"] = self.why
        if self.contested:
            data["scored"] = False
        if self.difference is not None and self.difference.changes_advice:
            d = self.difference
            data["difference"] = {
                "value": d.value,
                "advice": d.after,
                "rule": d.rule,
                "title": d.title,
                "seed": d.seed,
                "passage": d.passage,
            }
        return data


@dataclass(frozen=True)
class Feedback:
    """Everything ``exercise feedback`` shows about one submission."""

    submission: Submission
    scenario: Scenario
    facts: tuple[FactFeedback, ...]
    your_recommendation: str
    reference_recommendation: str
    parts: dict[str, float]  # points earned per rubric part
    possible: dict[str, float]  # points each part is worth
    notes: tuple[str, ...] = field(default=())

    @property
    def score(self) -> float:
        """Return the score out of 100."""
        return round(sum(self.parts.values()), 1)

    @property
    def disagreements(self) -> list[FactFeedback]:
        """Return the facts where the student differs from the reference."""
        return [f for f in self.facts if not f.agrees]

    @property
    def decisive(self) -> list[FactFeedback]:
        """Return the differing facts that would, each by itself, change the advice."""
        return [f for f in self.facts if f.changes_advice]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON of FACTS.md (``exercise feedback --json``), with the parts of the score."""
        sub, scenario = self.submission, self.scenario
        return {
            "scenario": sub.scenario,
            "student": sub.student,
            "file": sub.file,
            "score": self.score,
            "parts": {p: round(self.parts[p], 1) for p in PARTS},
            "possible": {p: round(self.possible[p], 1) for p in PARTS},
            "facts": [f.to_dict() for f in self.facts],
            "your_recommendation": self.your_recommendation,
            "reference_recommendation": self.reference_recommendation,
            "prediction": sub.prediction,
            "actual": scenario.actual,
            "rationale": sub.rationale,
            "debrief": scenario.debrief,
            "questions": list(scenario.questions),
            "notes": list(self.notes),
        }


def feedback(submission: Submission, pack: Pack, analyst: Analyst | None = None) -> Feedback:
    """Compare a submission with its scenario's reference coding and score it with the pack's rubric."""
    analyst = analyst or Analyst()
    scenario = pack.scenario(submission.scenario)
    reference = scenario.reference
    matters = analyst.matters(reference)
    facts = tuple(
        FactFeedback(
            fact=name,
            yours=submission.facts[name],
            reference=reference[name],
            why=scenario.why[name],
            matters=name in matters,
            difference=_difference(analyst, reference, name, submission.facts[name]),
        )
        for name in FACT_NAMES
    )
    yours = analyst.run(submission.plain_facts()).outcome
    notes = []
    contested = [f.fact for f in facts if f.contested]
    if contested:
        notes.append(
            f"Unknown or contested in your coding: {', '.join(contested)}. They count as disagreeing, "
            "and your recommendation was worked out without them."
        )
    possible = {p: pack.rubric.points(p) for p in PARTS}
    parts = score_parts(facts, submission, scenario, analyst.run(reference).outcome, pack.rubric)
    return Feedback(
        submission=submission,
        scenario=scenario,
        facts=facts,
        your_recommendation=yours,
        reference_recommendation=analyst.run(reference).outcome,
        parts={p: parts[p] * possible[p] for p in PARTS},
        possible=possible,
        notes=tuple(notes),
    )


def _difference(
    analyst: Analyst, reference: dict[str, FactValue], fact: str, answer: Answer
) -> Difference | None:
    """Return how the student's answer for one fact moves the advice (for unknown: any value of the scale)."""
    if answer == reference[fact]:
        return None
    readings: tuple[FactValue, ...]
    if answer is None:
        readings = scales()[fact].values
    elif isinstance(answer, tuple):
        readings = answer
    else:
        readings = (answer,)
    found = [analyst.difference(reference, fact, v) for v in readings if v != reference[fact]]
    return next((d for d in found if d.changes_advice), found[0] if found else None)


def score_parts(
    facts: tuple[FactFeedback, ...],
    submission: Submission,
    scenario: Scenario,
    reference: str,
    rubric: Rubric,
) -> dict[str, float]:
    """Return each rubric part as a share from 0 to 1 (a part with nothing to judge counts in full)."""

    def share(chosen: list[FactFeedback]) -> float:
        return sum(f.agrees for f in chosen) / len(chosen) if chosen else 1.0

    words = len(submission.rationale.split())
    return {
        "facts_that_matter": share([f for f in facts if f.matters]),
        "other_facts": share([f for f in facts if not f.matters]),
        "prediction_history": float(submission.prediction == scenario.actual),
        "prediction_reference": float(submission.prediction == reference),
        "rationale": float(words >= max(rubric.rationale_min_words, 1)),
    }


def sentence(item: FactFeedback) -> str:
    """Say in one sentence what a differing answer does to the advice."""
    yours = show_answer(item.yours)
    ref = show_answer(item.reference)
    d = item.difference
    if d is None:
        return f"your {item.fact} {yours} is the reference's."
    if item.yours is None:
        head = f"your {item.fact} unknown (the reference reads {ref})"
    else:
        head = f"your {item.fact} {yours} instead of {ref}"
    if not d.changes_advice:
        return f"{head} would not by itself change the advice ({label(d.before)})."
    if isinstance(item.yours, tuple) or item.yours is None:
        head += f": the reading {show_answer(d.value)}"
    return f"{head} would by itself move the advice from {label(d.before)} to {label(d.after)}."
