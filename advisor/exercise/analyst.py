"""Running the advisor for feedback: each coding's outcome and fired rules, cached, and what one fact does.

Whether one fact "changes the advice" is found by running the advisor twice: on
the reference coding, and on the reference coding with only that fact set to the
student's value. The rules that fired in one run and not in the other made the
difference; the first of them is cited with its seed passage. Only ``advise``'s
outcome and trace are used, so this holds whatever the engine's inner workings.

Runs are cached by their facts (an ``Analyst``): a class of submissions of the
same scenario shares most of them. For a whole class, ``Analyst.prefetch`` runs
every coding that will be needed at once, across worker processes when there are many
(``evaluate``'s batch runner, ``advisor.evaluate.run.spread``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from advisor.facts import ASKED_FACTS, FactValue, scales

PARALLEL_FROM = 150  # below this many new runs, starting worker processes costs more than it saves
Coding = tuple[tuple[str, FactValue], ...]  # facts as a sorted tuple: a cache key, and cheap to send


def run_codings(codings: Sequence[Coding]) -> list[tuple[str, tuple[str, ...]]]:
    """Run the advisor on each coding; return (outcome, fired rules once each) per coding (a worker's job)."""
    from advisor.engine import advise

    found = []
    for coding in codings:
        rec = advise(dict(coding))
        found.append((rec.outcome, tuple(dict.fromkeys(f.rule for f in rec.trace))))
    return found


@dataclass(frozen=True)
class CodingRun:
    """What one advisor run concluded, reduced to what feedback needs."""

    outcome: str
    rules: tuple[str, ...]  # the rules that fired, once each, in firing order


@dataclass(frozen=True)
class CodingDifference:
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
        self.runs: dict[Coding, CodingRun] = {}
        self.mattering: dict[Coding, frozenset[str]] = {}

    def run(self, facts: dict[str, FactValue]) -> CodingRun:
        """Return the advisor's outcome and fired rules for a coding (any subset of the facts)."""
        key = tuple(sorted(facts.items()))
        if key not in self.runs:
            [(outcome, rules)] = run_codings([key])
            self.runs[key] = CodingRun(outcome, rules)
        return self.runs[key]

    def prefetch(self, codings: Iterable[dict[str, FactValue]], *, jobs: int | None = None) -> None:
        """Run every coding not run yet, across worker processes when there are many."""
        keys = list(
            dict.fromkeys(k for k in (tuple(sorted(c.items())) for c in codings) if k not in self.runs)
        )
        from advisor.evaluate.run import default_jobs, spread

        # the batch runner of `evaluate`: forked workers on Linux, none outliving an interruption
        results = spread(run_codings, keys, jobs or default_jobs(), PARALLEL_FROM, None, "grading")
        for key, (outcome, rules) in zip(keys, results, strict=True):
            self.runs[key] = CodingRun(outcome, rules)

    @staticmethod
    def alternatives(reference: dict[str, FactValue]) -> list[dict[str, FactValue]]:
        """Return the reference and every coding that differs from it in one fact (what ``matters`` runs)."""
        return [reference] + [
            {**reference, fact: v}
            for fact in ASKED_FACTS
            if fact in reference
            for v in scales()[fact].values
            if v != reference[fact]
        ]

    def difference(self, reference: dict[str, FactValue], fact: str, value: FactValue) -> CodingDifference:
        """Compare the reference run with one where only ``fact`` is ``value``; cite a rule between."""
        before = self.run(reference)
        after = self.run({**reference, fact: value})
        fired_now = [r for r in after.rules if r not in before.rules]
        fired_before = [r for r in before.rules if r not in after.rules]
        found = CodingDifference(fact, value, before.outcome, after.outcome)
        if before.outcome == after.outcome or not (fired_now or fired_before):
            return found
        from advisor.rulebase import load_knowledge_base

        rule = load_knowledge_base().rule((fired_now or fired_before)[0])
        return CodingDifference(
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
                for fact in ASKED_FACTS
                if fact in reference
                and any(
                    self.run({**reference, fact: v}).outcome != outcome
                    for v in scales()[fact].values
                    if v != reference[fact]
                )
            )
        return self.mattering[key]
