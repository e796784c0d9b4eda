"""Feedback on a submission: each fact against the reference, what each difference does, and a score.

The runs behind it (which facts matter, what a differing value does, and the
rule that makes the difference) are ``advisor.exercise.analyst``'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from advisor.exercise.analyst import Analyst, CodingDifference
from advisor.exercise.model import PARTS, Pack, Rubric, Scenario
from advisor.exercise.submission import Answer, Submission, show_answer
from advisor.facts import FACT_NAMES, OPTIONAL_DEFAULTS, OPTIONAL_FACTS, FactValue, fact_label, scales
from advisor.optional import applies, show_defaulted
from advisor.outcomes import label


@dataclass(frozen=True)
class FactFeedback:
    """One fact: the student's answer against the reference, and what the difference does."""

    fact: str
    yours: Answer
    reference: FactValue
    why: str
    matters: bool  # some other value of this fact alone changes the reference's advice
    difference: CodingDifference | None = (
        None  # for a differing answer: the first of its values that moves the advice
    )
    given: bool = True  # False: an optional fact the submission leaves out (``yours`` is its default)

    @property
    def agrees(self) -> bool:
        """Return whether the student gave the reference value (unknown, contested and an optional
        fact left out never agree: the default a left-out fact holds was not the student's answer)."""
        return self.given and self.yours == self.reference

    @property
    def shown(self) -> str:
        """Return the student's answer as text: a value, unknown, values joined by "or", or for an
        optional fact left out its default, ``false (default: not given)``."""
        return str(show_answer(self.yours)) if self.given else show_defaulted(self.fact)

    @property
    def contested(self) -> bool:
        """Return whether the student answered unknown or gave several values."""
        return self.yours is None or isinstance(self.yours, tuple)

    @property
    def changes_advice(self) -> bool:
        """Return whether the student's answer (any of its readings) alone moves the advice."""
        return self.difference is not None and self.difference.changes_advice

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON of the feedback's ``facts`` entries (docs/exercises.md), with extra detail."""
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
        if self.contested or not self.given:
            data["scored"] = False
        if not self.given:
            data["given"] = False
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
        """Return the JSON of ``exercise feedback --json`` (docs/exercises.md), with the score's parts."""
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
    graded = graded_facts(submission, scenario)
    # an optional fact is graded only where the reference gives it; a submission that leaves it out is
    # read at its default (for its own recommendation too), but earns nothing for it: it did not answer
    reference = scenario.read(scenario.reference)
    yours_facts = {**{k: OPTIONAL_DEFAULTS[k] for k in graded if k in OPTIONAL_DEFAULTS}, **submission.facts}
    matters = analyst.matters(reference)
    facts = tuple(
        FactFeedback(
            fact=name,
            yours=yours_facts[name],
            reference=reference[name],
            why=scenario.why.get(name) or "the reference does not give it: its default holds",
            matters=name in matters,
            difference=_difference(analyst, reference, name, yours_facts[name]),
            given=name in submission.facts,
        )
        for name in graded
    )
    yours = your_outcome(analyst, scenario, submission)
    notes = []
    contested = [fact_label(f.fact) for f in facts if f.contested]
    if contested:
        notes.append(
            f"Unknown or contested in your coding: {', '.join(contested)}. They count as disagreeing; "
            "your recommendation is what most readings of them give (each value you listed, or every "
            "value of the scale for unknown), as the advisor reads a case file."
        )
    left_out = [f for f in facts if not f.given]
    if left_out:
        notes.append(
            f"Not given in your submission: {', '.join(fact_label(f.fact) for f in left_out)}. The "
            "reference codes it, so it counts as disagreeing; your recommendation reads it at its default "
            f"({', '.join(f'{fact_label(f.fact)} {show_answer(f.yours)}' for f in left_out)}), "
            "as a case file that leaves it out is read."
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


def graded_facts(submission: Submission, scenario: Scenario) -> tuple[str, ...]:
    """Return the facts a submission is graded on: the required ones, and each optional fact that the
    scenario's reference gives (and that applies: not standing_commitment for a pair). An optional fact
    the reference leaves out is not graded: the instructor set no standard for it (a student who gives
    it still has it read, for their own recommendation)."""
    given = [f for f in OPTIONAL_FACTS if f in scenario.reference and applies(f, scenario.derived)]
    return (*FACT_NAMES, *given)


def _difference(
    analyst: Analyst, reference: dict[str, FactValue], fact: str, answer: Answer
) -> CodingDifference | None:
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
    fact = fact_label(item.fact)  # as the questions named it
    d = item.difference
    if not item.given:
        head = f"your {fact} is not given: its default, {yours},"
        if d is None:
            return f"{head} is the reference's value but not your answer."
        head += f" instead of {ref},"
    elif d is None:
        return f"your {fact} {yours} is the reference's."
    elif item.yours is None:
        head = f"your {fact} unknown (the reference reads {ref})"
    else:
        head = f"your {fact} {yours} instead of {ref}"
    if not d.changes_advice:
        return f"{head} would not by itself change the advice ({label(d.before)})."
    if isinstance(item.yours, tuple) or item.yours is None:
        head += f": the reading {show_answer(d.value)}"
    return f"{head} would by itself move the advice from {label(d.before)} to {label(d.after)}."


def your_outcome(analyst: Analyst, scenario: Scenario, submission: Submission) -> str:
    """Return the student's own recommendation: what ``advisor advise`` gives for the coding written as
    a case file of the scenario's parties (several values and ``unknown`` read over every reading).
    A coding of single values alone goes through the analyst, whose runs a class shares."""
    if len(submission.plain_facts()) == len(submission.facts):
        return analyst.run(scenario.read(submission.plain_facts())).outcome
    from advisor.cases import Case
    from advisor.engine import advise

    written = {name: show_answer(answer, raw=True) for name, answer in submission.facts.items()}
    return advise(Case.model_validate({"parties": list(scenario.parties), "facts": written})).outcome
