"""What a what-if brief says of itself, so that it is never taken for the case as filed.

Its title says so (``What-if brief: ...``, the HTML page's title too); a notice under the title names
each fact changed, from what the case file gives to what this brief reads, and sets the outcome of the
case as given beside the changed case's; a section ``What if`` gives the same in full (the changes,
both outcomes, what changed in the reasoning); the facts table marks each fact changed. Everything
else in the brief is of the changed case (``analysis.findings``).
"""

from __future__ import annotations

from advisor.brief.blocks import Block, Grid, Heading, Items, Notice, Para, Span, spans
from advisor.engine import Recommendation
from advisor.explain import FactChange, WhatIf
from advisor.explain.subject import said
from advisor.facts import fact_label, show
from advisor.optional import show_defaulted

TITLE = "What-if brief"
"""How a what-if brief's title begins (a brief of the case as filed: ``Brief``)."""


def as_filed(answer: WhatIf, change: FactChange) -> str:
    """Say what the case file gives for a fact changed: its value, its values (``unknown`` for its whole
    scale), or its default when the file leaves it out."""
    if change.given:
        return said(change.fact, change.given)
    if change.fact in answer.before.defaulted:
        return show_defaulted(change.fact)
    return show(change.fact, change.before)


def _outcome(rec: Recommendation) -> tuple[Span, ...]:
    """Say an outcome and its deciding rule: **Alliance** (``ALL-01``)."""
    return spans(("b", rec.label), " (", ("code", rec.deciding_rule), ")")


def notice(answer: WhatIf) -> list[Block]:
    """Return the notice under the title: a what-if, the facts changed from what to what, and the outcome
    of the case as given beside that of the changed case."""
    before, after = answer.before, answer.after
    if not answer.changes:
        first = spans(
            ("b", "A what-if that changes nothing:"),
            f" {answer.already_said()} in the case file, so this brief is of the case as filed, which gives ",
            *_outcome(before),
            ".",
        )
        return [Notice((first,))]
    changed = "; ".join(
        f"{fact_label(c.fact)} set to {c.said_after()} (the case file gives {as_filed(answer, c)})"
        for c in answer.changes
    )
    outcome = spans(
        "As given in the file, the case gives ",
        *_outcome(before),
        f"; with the change{'s' if len(answer.changes) > 1 else ''} it ",
    )
    if answer.outcome_changed:
        outcome += spans("gives ", *_outcome(after), " instead.")
    else:
        outcome += spans("still gives ", *_outcome(after), ".")
    return [
        Notice(
            (
                spans(
                    ("b", "What if: not the case as filed."),
                    f" This brief reasons on the case with {changed}.{answer.not_weighed()}",
                ),
                outcome,
                spans(
                    "Everything below (facts, reasoning, cautions, why-not, sensitivity, precedents and the "
                    "chain) is of the changed case."
                ),
            )
        )
    ]


def section(answer: WhatIf) -> list[Block]:
    """Return the section ``What if``: the sentence, the changes, both outcomes, what changed in the
    reasoning (nothing but the sentence when no fact changes)."""
    blocks: list[Block] = [Heading(2, "What if"), Para(spans(answer.sentence()))]
    if not answer.changes:
        return blocks
    if answer.already:
        blocks.append(Para(spans(("i", f"Also asked for, and already so: {answer.already_said()}."))))
    rows = tuple(
        (spans(fact_label(c.fact)), spans(as_filed(answer, c)), spans(("b", c.said_after())))
        for c in answer.changes
    )
    blocks.append(Grid(("Fact", "As given in the case file", "In this what-if"), rows))
    outcomes = tuple(
        (
            spans(name),
            spans(("b", rec.label)),
            spans(("code", rec.deciding_rule)),
            spans(rec.confidence_sentence()),
        )
        for name, rec in (("The case as filed", answer.before), ("This what-if", answer.after))
    )
    blocks.append(Grid(("", "Recommends", "Deciding rule", "Confidence"), outcomes))
    if answer.before.contested:
        readings = f"{answer.before.readings_sentence()}."
        blocks.append(Para(spans(("b", "Readings of the case as filed: "), readings)))
    moved = [
        ("Rules that fire only in this what-if", answer.fired_only_after),
        ("Rules that fire only in the case as filed", answer.fired_only_before),
        ("Signals gained", answer.signals_gained),
        ("Signals lost", answer.signals_lost),
        ("Cautions gained", answer.cautions_gained),
        ("Cautions lost", answer.cautions_lost),
    ]
    listed = tuple(spans(("b", f"{name}: "), *_codes(items), ".") for name, items in moved if items)
    if listed:
        blocks += [Para(spans("What changed in the reasoning:")), Items(listed)]
    return blocks


def marks(answer: WhatIf | None) -> dict[str, tuple[Span, ...]]:
    """Return, for each fact a what-if changed, the mark its row of the facts table bears after its value."""
    if answer is None:
        return {}
    return {
        c.fact: spans(("i", f" (what-if; the case file gives {as_filed(answer, c)})")) for c in answer.changes
    }


def _codes(items: tuple[str, ...]) -> list[Span]:
    """Return identifiers as code spans separated by commas."""
    found: list[Span] = []
    for i, item in enumerate(items):
        found += [("", ", ")] if i else []
        found.append(("code", item))
    return found
