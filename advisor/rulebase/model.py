"""The knowledge base as everyone else reads it: typed, checked rules and their signals."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from advisor.facts import FactValue
from advisor.outcomes import label
from advisor.rulebase.schema import _RawSeed
from advisor.strict import ProblemsError

RuleKind = Literal["signal", "evidence", "caution", "combine"]


class RuleBaseError(ProblemsError):
    """The knowledge base is not valid; ``problems`` lists every finding with file and line."""


@dataclass(frozen=True)
class Condition:
    """A test on one fact: the fact's value must be one of ``values``."""

    fact: str
    values: tuple[FactValue, ...]
    text: str  # the condition as written, in near-English


@dataclass(frozen=True)
class Source:
    """Where a rule's knowledge comes from: a seed passage or a cited work."""

    passage: str
    seed: str | None = None
    cite: str | None = None

    def describe(self, seeds: dict[str, _RawSeed]) -> str:
        """Name the source in one line."""
        if self.seed is not None:
            return f"seed {self.seed} ({seeds[self.seed].title})"
        return self.cite or "uncited"


@dataclass(frozen=True)
class Rule:
    """One rule of the knowledge base, with everything needed to run, check and explain it."""

    id: str
    title: str
    kind: RuleKind
    facts: tuple[Condition, ...]
    signals: tuple[str, ...]
    without: tuple[str, ...]
    recommended: tuple[str, ...]
    rationale: str
    source: Source
    file: str
    line: int
    declares: str | None = None  # the signal, for signal rules
    outcomes: tuple[str, ...] = ()  # the outcomes an evidence rule bears on, each with the same factor
    cf: float | None = None  # its certainty factor: > 0 for the outcomes, < 0 against them
    caution: str | None = None

    @property
    def where(self) -> str:
        """Return ``file:line`` of the rule's definition."""
        return f"{self.file}:{self.line}"

    def conclusion(self, *, brief: bool = False) -> str:
        """Say in near-English what the rule concludes; ``brief`` names a caution by its title."""
        if self.kind == "signal":
            return f"signal {self.declares}"
        if self.kind == "evidence":
            assert self.outcomes and self.cf is not None
            side = "for" if self.cf > 0 else "against"
            return f"evidence {side} {' and '.join(label(o) for o in self.outcomes)} ({self.cf:+.2f})"
        if self.kind == "caution":
            return f"caution “{self.title}”" if brief else f"caution: {self.caution}"
        return "combine the evidence (certainty factors) and recommend the best-supported outcome"

    def premises(self) -> list[str]:
        """Say in near-English what must hold for the rule to fire."""
        parts = [c.text for c in self.facts]
        parts += [f"signal {s} is present" for s in self.signals]
        parts += [f"signal {s} is absent" for s in self.without]
        if self.recommended:
            parts.append("the recommendation is " + " or ".join(label(o) for o in self.recommended))
        return parts


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """All rules and signal definitions, checked, in the order they were written.

    Two knowledge bases are equal only if they are the same object, so that a
    knowledge base can key the caches of what is derived from it.
    """

    rules: tuple[Rule, ...]
    signals: dict[str, str]
    seeds: dict[str, _RawSeed]
    directory: Path
    by_id: dict[str, Rule] = field(init=False, repr=False)

    _declarers: dict[str, list[Rule]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {r.id: r for r in self.rules})
        index: dict[str, list[Rule]] = {}
        for rule in self.rules:
            if rule.declares:
                index.setdefault(rule.declares, []).append(rule)
        object.__setattr__(self, "_declarers", index)

    def rule(self, rule_id: str) -> Rule:
        """Return a rule by id (case-insensitive), or raise KeyError."""
        return self.by_id[rule_id.upper()]

    def of_kind(self, kind: RuleKind) -> Iterator[Rule]:
        """Yield the rules of one kind, in file order."""
        return (r for r in self.rules if r.kind == kind)

    def declarers(self, signal: str) -> list[Rule]:
        """Return the rules that declare a signal."""
        return list(self._declarers.get(signal, ()))

    def needs(self, rule: Rule, *, negated: bool = True) -> list[Rule]:
        """Return the rules declaring the signals a rule needs present (and, with ``negated``, absent)."""
        return [d for s in (*rule.signals, *(rule.without if negated else ())) for d in self.declarers(s)]

    def upstream(self, rules: Iterable[Rule], *, negated: bool = False) -> list[Rule]:
        """Return the rules and, transitively, every rule they need (``needs``), once each, in file order."""
        found: set[str] = set()
        pending = list(rules)
        while pending:
            rule = pending.pop()
            if rule.id not in found:
                found.add(rule.id)
                pending += self.needs(rule, negated=negated)
        return [r for r in self.rules if r.id in found]

    def users_of_signal(self, signal: str) -> list[Rule]:
        """Return the rules that test a signal, present or absent."""
        return [r for r in self.rules if signal in (*r.signals, *r.without)]

    def users_of_fact(self, fact: str) -> list[Rule]:
        """Return the rules that test a fact."""
        return [r for r in self.rules if any(c.fact == fact for c in r.facts)]

    def describe_source(self, rule: Rule) -> str:
        """Name a rule's source in one line."""
        return rule.source.describe(self.seeds)
