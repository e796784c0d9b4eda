"""What if: the recommendation before and after some facts change, and what changed in the reasoning.

With contested facts the recommendation after is reasoned over the readings of those left
contested, as the one before was; a contested fact set to a value changes from its values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from advisor.engine import Engine, Recommendation
from advisor.explain.subject import (
    FactChange,
    Setting,
    Subject,
    apply,
    as_given_after,
    outcome_summary,
    resolve,
    said,
)
from advisor.facts import fact_label, join
from advisor.optional import applies_in_a_reading


@dataclass(frozen=True)
class WhatIf:
    """The recommendation before and after some facts change, and what changed in the reasoning."""

    changes: tuple[FactChange, ...]
    before: Recommendation
    after: Recommendation
    fired_only_before: tuple[str, ...] = field(default=())
    fired_only_after: tuple[str, ...] = field(default=())
    signals_gained: tuple[str, ...] = field(default=())
    signals_lost: tuple[str, ...] = field(default=())
    cautions_gained: tuple[str, ...] = field(default=())
    cautions_lost: tuple[str, ...] = field(default=())
    already: tuple[tuple[str, Setting], ...] = field(default=())  # asked for, but the facts are so

    def already_said(self) -> str:
        """Say which facts asked for already had the value: ``threat level is already high``."""
        return join(f"{fact_label(fact)} is already {said(fact, value)}" for fact, value in self.already)

    @property
    def outcome_changed(self) -> bool:
        """Return True when the recommended outcome differs."""
        return self.before.outcome != self.after.outcome

    def sentence(self) -> str:
        """Say in one sentence what the changes do to the recommendation."""
        if not self.changes:
            so = self.already_said() or "the facts are already so"
            return f"Nothing changes: {so}. The advisor recommends {self.before.label}."
        clause = join(c.phrase() for c in self.changes)
        if self.outcome_changed:
            said = (
                f"If {clause}, the recommendation would change from {self.before.label} "
                f"to {self.after.label} ({self.after.deciding_rule})."
            )
        else:
            said = f"If {clause}, the advisor would still recommend {self.after.label}"
            said += f" ({self.after.deciding_rule})."
        return said + self.not_weighed()

    def not_weighed(self) -> str:
        """Say that a grouping-only fact set for a pair was not weighed ("" when none was), rather than
        leave the reader to think it made no difference."""
        facts, contested = self.after.facts, self.after.contested
        ignored = [c.fact for c in self.changes if not applies_in_a_reading(c.fact, facts, contested)]
        if not ignored:
            return ""
        names = join(fact_label(fact) for fact in ignored)
        return f" Only a group of three states or more is judged on {names}: a pair's is not weighed."

    def to_dict(self) -> dict[str, Any]:
        """Return the comparison as JSON data."""
        return {
            "case": self.before.case,
            "changes": [c.to_dict() for c in self.changes],
            "before": outcome_summary(self.before),
            "after": outcome_summary(self.after),
            "outcome_changed": self.outcome_changed,
            "sentence": self.sentence(),
            "fired_only_before": list(self.fired_only_before),
            "fired_only_after": list(self.fired_only_after),
            "signals_gained": list(self.signals_gained),
            "signals_lost": list(self.signals_lost),
            "cautions_gained": list(self.cautions_gained),
            "cautions_lost": list(self.cautions_lost),
            # the facts asked for that already had the value (the text's "threat level is already high")
            "already": [
                {"fact": fact, "value": list(value) if isinstance(value, tuple) else value}
                for fact, value in self.already
            ],
        }


def what_if(
    subject: Subject, changes: Mapping[str, Setting | None], *, engine: Engine | None = None
) -> WhatIf:
    """Re-run with some facts changed (``None`` forgets one; several values, a tuple, read it each way)
    and compare; raise ValueError if invalid."""
    engine, before = resolve(subject, engine)
    made = tuple(apply(before.facts, changes, before.contested))
    kept = {c.fact for c in made}
    already = tuple((k, v) for k, v in changes.items() if v is not None and k not in kept)
    after = as_given_after(before, made, engine)
    rules_before = [f.rule for f in before.trace]
    rules_after = [f.rule for f in after.trace]
    cautions_before = [c.rule for c in before.cautions]
    cautions_after = [c.rule for c in after.cautions]
    return WhatIf(
        changes=made,
        before=before,
        after=after,
        fired_only_before=_minus(rules_before, rules_after),
        fired_only_after=_minus(rules_after, rules_before),
        signals_gained=_minus(after.signals, before.signals),
        signals_lost=_minus(before.signals, after.signals),
        cautions_gained=_minus(cautions_after, cautions_before),
        cautions_lost=_minus(cautions_before, cautions_after),
        already=already,
    )


def _minus(first: Iterable[str], second: Iterable[str]) -> tuple[str, ...]:
    """Return the items of first that are not in second, once each, in first's order."""
    exclude = set(second)
    return tuple(dict.fromkeys(x for x in first if x not in exclude))
