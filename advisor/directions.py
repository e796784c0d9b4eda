"""Monotone directions: where the seeds say which way a fact pushes, the advice must follow.

``rules/about/directions.yaml`` lists them, each with the seed passage it rests
on. A direction moves one fact one notch at a dyad whose other facts satisfy its
``when`` and states a property of the outcome before and after: the level never
falls, an outcome is never entered, or an outcome is never left. ``violations``
checks every direction at one dyad with the fast exact evaluator
(``engine.beliefs.outcome_of``); ``bench/sweep.py`` checks them over the whole fact
space and ``tests/test_directions.py`` by hypothesis.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from advisor.documents import DocumentError, read_document
from advisor.engine import outcome_of
from advisor.facts import FactValue, scales, show
from advisor.outcomes import OUTCOME_IDS, TIERS
from advisor.rulebase import Condition, KnowledgeBase, RuleBaseError, default_directory, parse_condition
from advisor.strict import StrictModel

Property = Literal["never_lowers_level", "never_enters", "never_leaves"]
Change = Literal["up", "down"]
ID_PATTERN = re.compile(r"^D\d+$")


class DirectionsError(RuleBaseError):
    """The directions file is not valid; ``problems`` lists every finding (as for rule files)."""


class _RawSource(StrictModel):
    seed: str
    passage: str


class _RawDirection(StrictModel):
    id: str
    title: str
    fact: str
    change: Change
    when: dict[str, Any] = Field(default_factory=dict)
    property: Property
    outcome: str | None = None
    ladder_only: bool = False  # never_lowers_level on the partnership ladder only (alliance not counted)
    source: _RawSource
    rationale: str

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError("a direction id is D and a number (D1)")
        return value


class _RawFile(StrictModel):
    levels: dict[str, int]
    directions: list[_RawDirection]


@dataclass(frozen=True)
class Direction:
    """One monotone direction: move ``fact`` one notch, and the outcome must keep ``property``."""

    id: str
    title: str
    fact: str
    change: Change
    when: tuple[Condition, ...]
    property: Property
    outcome: str | None
    seed: str
    passage: str
    rationale: str
    levels: Mapping[str, int]

    def step(self, value: FactValue) -> FactValue | None:
        """Return the value one notch along the change, or None at the end of the scale."""
        values = scales()[self.fact].values
        index = values.index(value) + (1 if self.change == "up" else -1)
        return values[index] if 0 <= index < len(values) else None

    def applies(self, facts: Mapping[str, FactValue]) -> bool:
        """Say whether the direction moves this dyad: the fact is given, can move, and ``when`` holds."""
        if self.fact not in facts or self.step(facts[self.fact]) is None:
            return False
        return all(c.fact in facts and facts[c.fact] in c.values for c in self.when)

    def neighbour(self, facts: Mapping[str, FactValue]) -> dict[str, FactValue] | None:
        """Return the dyad with the fact moved one notch, or None if the direction does not apply."""
        if not self.applies(facts):
            return None
        moved = self.step(facts[self.fact])
        assert moved is not None
        return {**facts, self.fact: moved}

    def checks(self, before: str) -> bool:
        """Say whether a move from this outcome is checked at all (before looking at the outcome after)."""
        if self.property == "never_lowers_level":
            return before in self.levels
        if self.property == "never_enters":
            return before != self.outcome
        return before == self.outcome

    def holds(self, before: str, after: str) -> bool | None:
        """Say whether a move from ``before`` to ``after`` keeps the property; None if it is not counted."""
        if not self.checks(before):
            return None
        if self.property == "never_lowers_level":
            if after not in self.levels:
                return None
            return self.levels[after] >= self.levels[before]
        if self.property == "never_enters":
            return after != self.outcome
        return after == self.outcome

    def describe(self) -> str:
        """State the direction in one line."""
        move = f"{self.fact} one notch {self.change}"
        context = f" (when {'; '.join(c.text for c in self.when)})" if self.when else ""
        prop = {
            "never_lowers_level": "never lowers the level",
            "never_enters": f"never turns a non-{self.outcome} into {self.outcome}",
            "never_leaves": f"never turns {self.outcome} into something else",
        }[self.property]
        return f"{self.id}: {move}{context} {prop}"


@dataclass(frozen=True)
class Violation:
    """A dyad at which a direction fails: the fact moved, and the outcome before and after."""

    direction: str
    facts: Mapping[str, FactValue]  # the dyad before the move
    fact: str
    before_value: FactValue
    after_value: FactValue
    before: str
    after: str

    def describe(self) -> str:
        """State the counterexample in one line."""
        dyad = ", ".join(f"{k}={show(k, v)}" for k, v in self.facts.items())
        move = f"{self.fact} {show(self.fact, self.before_value)} -> {show(self.fact, self.after_value)}"
        return f"{self.direction}: {move} turns {self.before} into {self.after} at {{{dyad}}}"

    def to_dict(self) -> dict[str, Any]:
        """Return the counterexample as plain data (for JSON)."""
        return {
            "direction": self.direction,
            "facts": {k: show(k, v) for k, v in self.facts.items()},
            "fact": self.fact,
            "from": show(self.fact, self.before_value),
            "to": show(self.fact, self.after_value),
            "before": self.before,
            "after": self.after,
        }


def default_path() -> Path:
    """Return the directions file shipped beside the rule files."""
    return default_directory() / "about" / "directions.yaml"


@cache
def load_directions(path: Path | None = None) -> tuple[Direction, ...]:
    """Read and validate the directions file (once per process); raise DirectionsError."""
    path = path or default_path()
    try:
        document = read_document(path)
        raw = _RawFile.model_validate(document.data)
    except DocumentError as exc:
        raise DirectionsError([f"{path}: {exc}"]) from None
    except ValidationError as exc:
        raise DirectionsError(
            [f"{path}: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        ) from None
    problems = [f"{path}: levels: {o!r} is not an outcome id" for o in raw.levels if o not in OUTCOME_IDS]
    rungs = [raw.levels[t] for t in TIERS if t in raw.levels]
    if rungs != sorted(set(rungs)):
        problems.append(f"{path}: levels: the ladder's tiers must rise in its order ({' < '.join(TIERS)})")
    directions = []
    for index, item in enumerate(raw.directions):
        where = f"{path}:{document.line_of(('directions', index))}: direction {item.id}"
        found = _problems(item)
        problems += [f"{where}: {p}" for p in found]
        if not found:
            when = tuple(parse_condition(fact, spec) for fact, spec in item.when.items())
            directions.append(
                Direction(
                    id=item.id,
                    title=item.title,
                    fact=item.fact,
                    change=item.change,
                    when=when,
                    property=item.property,
                    outcome=item.outcome,
                    seed=item.source.seed,
                    passage=" ".join(item.source.passage.split()),
                    rationale=" ".join(item.rationale.split()),
                    levels={o: n for o, n in raw.levels.items() if not item.ladder_only or o in TIERS},
                )
            )
    ids = [d.id for d in raw.directions]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    problems += [f"{path}: direction {i} is defined twice" for i in twice]
    if problems:
        raise DirectionsError(problems)
    return tuple(directions)


def _problems(item: _RawDirection) -> list[str]:
    """Return what is wrong with one direction, beyond its shape."""
    table = scales()
    problems = []
    if item.fact not in table:
        problems.append(f"unknown fact {item.fact!r}")
    elif not table[item.fact].ordered:
        problems.append(f"{item.fact} has no order, so it has no direction")
    for fact, spec in item.when.items():
        if fact == item.fact:
            problems.append(f"when: tests the fact the direction moves ({fact})")
        try:
            parse_condition(fact, spec)
        except ValueError as exc:
            problems.append(f"when: {exc}")
    if item.ladder_only and item.property != "never_lowers_level":
        problems.append("ladder_only goes with never_lowers_level")
    if (item.property == "never_lowers_level") != (item.outcome is None):
        problems.append("never_enters and never_leaves name an outcome; never_lowers_level names none")
    if item.outcome is not None and item.outcome not in OUTCOME_IDS:
        problems.append(f"{item.outcome!r} is not an outcome id")
    return problems


def violations(
    kb: KnowledgeBase, facts: Mapping[str, FactValue], directions: tuple[Direction, ...] | None = None
) -> list[Violation]:
    """Check every direction at one dyad and its one-notch neighbour; return the ones that fail."""
    found = []
    before = outcome_of(kb, facts)
    for direction in directions if directions is not None else load_directions():
        moved = direction.neighbour(facts)
        if moved is None or not direction.checks(before):
            continue
        after = outcome_of(kb, moved)
        if direction.holds(before, after) is False:
            found.append(
                Violation(
                    direction.id,
                    dict(facts),
                    direction.fact,
                    facts[direction.fact],
                    moved[direction.fact],
                    before,
                    after,
                )
            )
    return found
