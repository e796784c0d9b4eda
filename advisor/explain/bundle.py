"""One case explained as ``advisor explain`` shows it: which explanations are built, in what order,
and how much of each is shown.

Without a question, the explanation is how the outcome was reached and how robust it is
(sensitivity, in one line). With questions, it answers them instead, in a fixed order:
what if (whose facts the others then start from), why not, and sensitivity (in full when asked).
With contested facts, each change of the sensitivity is judged over their readings.
The closest precedents (``advisor.precedents``) are not explanations: the caller adds them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from advisor.engine import Engine, Recommendation
from advisor.explain.how import How, how
from advisor.explain.readings import reading_note
from advisor.explain.readings import sensitivity_over_readings as single_changes
from advisor.explain.sensitivity import Sensitivity
from advisor.explain.subject import Setting, Subject, resolve
from advisor.explain.what_if import WhatIf, what_if
from advisor.explain.why_not import WhyNot
from advisor.explain.why_not import why_not as smallest_change

Part = How | WhatIf | WhyNot | Sensitivity


@dataclass(frozen=True)
class Explanation:
    """The explanations of one subject, each present only when built."""

    recommendation: Recommendation  # the one explained: after the what-if changes, if any
    how: How | None = None
    what_if: WhatIf | None = None
    why_not: WhyNot | None = None
    sensitivity: Sensitivity | None = None
    full_sensitivity: bool = False  # every flip (asked for), rather than the one-line summary

    def parts(self) -> dict[str, Part]:
        """Return the explanations built, by JSON key, in the order they are shown."""
        found = {
            "how": self.how,
            "what_if": self.what_if,
            "why_not": self.why_not,
            "sensitivity": self.sensitivity,
        }
        return {key: part for key, part in found.items() if part is not None}

    def to_dict(self) -> dict[str, Any]:
        """Return the explanation as JSON data (``advisor explain --json``, without the precedents)."""
        rec = self.recommendation
        data: dict[str, Any] = {"case": rec.case, "recommendation": rec.outcome}
        if rec.contested:  # the explanations follow the reading the advice rests on
            data.update(**rec.readings_fields(), facts=dict(rec.facts))
        data.update({key: part.to_dict() for key, part in self.parts().items()})
        if rec.contested and self.why_not is not None:  # what stood in the way: the reading followed's
            data["why_not"].update(note=reading_note(rec))
        return data


def explanation(
    subject: Subject,
    *,
    engine: Engine | None = None,
    changes: Mapping[str, Setting | None] | None = None,
    why_not: str | None = None,
    sensitivity: bool = False,
) -> Explanation:
    """Explain a subject: what if ``changes`` were made, why not the outcome ``why_not``, and its
    sensitivity when asked; how it was reached and a one-line sensitivity when nothing is asked.
    Why-not and sensitivity start from the facts after the changes. Raise ValueError for an invalid
    change or an unknown outcome id."""
    engine, rec = resolve(subject, engine)
    asked = bool(changes) or why_not is not None or sensitivity
    compared = what_if(rec, changes, engine=engine) if changes else None
    if compared is not None:
        rec = compared.after
    return Explanation(
        recommendation=rec,
        how=None if asked else how(rec, engine=engine),
        what_if=compared,
        why_not=None if why_not is None else smallest_change(rec, why_not, engine=engine),
        sensitivity=single_changes(rec, engine) if sensitivity or not asked else None,
        full_sensitivity=sensitivity,
    )
