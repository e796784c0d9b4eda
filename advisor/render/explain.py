"""Rendering explanations for the terminal with rich: a tree for how, a sentence for why-not,
tables for what-if and sensitivity, and all of them as ``advisor explain`` shows them.

Every function takes explanations already built (``advisor.explain``); none runs one.

Names that may come from files (case ids, rule titles of a custom rule base) go
into ``Text`` objects, never into markup strings.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from advisor.engine import Recommendation
from advisor.explain import ChainStep, Explanation, How, Sensitivity, Weight, WhatIf, WhyNot
from advisor.explain.readings import reading_note, reading_premise
from advisor.facts import fact_label, show
from advisor.outcomes import label
from advisor.precedents import Precedents
from advisor.render.precedents import precedents_table
from advisor.render.terminal import OUTCOME_STYLE


def how_tree(explained: How) -> Tree:
    """Return the evidence as a tree: outcome and confidence, the strongest reason's chain down to the
    facts, then what counted against it and for its runner-up."""
    root = Tree(
        Text.assemble(
            ("Recommendation: ", "bold"),
            (explained.label, OUTCOME_STYLE[explained.outcome]),
            (f"  belief {explained.belief:+.2f}, {explained.confidence}", "dim"),
        )
    )
    root.add(Text(explained.sentence()))
    _grow(root, explained.root)
    mine = explained.ledger(explained.outcome)
    others = [w for w in mine.pro if w.rule != explained.deciding_rule]
    if others:
        also = root.add(Text("Also for it", style="bold green"))
        for w in others:
            also.add(_weight(w))
    if mine.con:
        against = root.add(Text("Against it (outweighed)", style="bold yellow"))
        for w in mine.con:
            against.add(_weight(w))
    if explained.runner_up is not None:
        rival = explained.ledger(explained.runner_up)
        node = root.add(Text(f"Runner-up: {rival.label} ({rival.belief:+.2f})", style="bold"))
        for w in (*rival.pro, *rival.con):
            node.add(_weight(w))
    return root


def _weight(weight: Weight) -> Text:
    """Return one piece of evidence: rule, certainty factor, title and the facts behind it."""
    text = Text.assemble((f"{weight.rule} ", "bold"), (f"{weight.cf:+.2f} ", "cyan"), weight.title)
    if weight.facts:
        text.append("  [" + ", ".join(weight.facts) + "]", style="dim")
    return text


def _grow(node: Tree, step: ChainStep) -> None:
    """Add one step and, below it, the facts it matched and the signals it rested on."""
    branch = node.add(Text.assemble((f"{step.rule} ", "bold"), step.title))
    branch.add(Text(step.rationale, style="italic"))
    for fact in step.facts:
        branch.add(Text.assemble(("fact ", "dim"), fact))
    for reason in step.reasons:
        child = branch.add(
            Text.assemble(("because ", "dim"), (reason.signal, "bold green"), f" — {reason.meaning}")
        )
        if reason.step is not None:
            _grow(child, reason.step)
        else:
            child.add(Text("(explained above)", style="dim"))
    for signal, meaning in step.absent:
        branch.add(Text.assemble(("and no ", "dim"), (signal, "bold yellow"), f" — {meaning}"))


def why_not_view(answer: WhyNot, rec: Recommendation | None = None) -> Group:
    """Return the why-not answer: the if-then sentence, the rules in the way, and unmet premises.

    Given the recommendation asked about, with contested facts, a note says that each change is judged
    over the readings and that what stood in the way is the reading followed's, whose values in the
    premises are marked as the reading's.
    """
    if rec is None or not rec.contested:
        parts: list[RenderableType] = [Text(answer.sentence(), style="bold")]
    else:
        parts = [Text(reading_note(rec), style="italic"), Text(answer.sentence(), style="bold")]
    if answer.already:
        return Group(*parts)
    if answer.blockers:
        rows = [(b.rule, Text(f"{b.title}: {b.text}")) for b in answer.blockers]
        parts.append(_grid(f"What stood in the way of {label(answer.target)} here", rows))
    if answer.unmet:
        rows = [
            (rule, Text("; ".join(reading_premise(rec, rule, p) if rec else p for p in premises)))
            for rule, premises in answer.unmet
        ]
        parts.append(
            _grid(
                f"Rules with evidence for {label(answer.target)} that did not fire, and what they lacked",
                rows,
            )
        )
    return Group(*parts)


def _grid(title: str, rows: Iterable[tuple[str, Text]]) -> Group:
    """Return a title over a borderless two-column table: a rule id, then text that wraps under itself."""
    table = Table(show_header=False, box=None, padding=(0, 1, 0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for rule, text in rows:
        table.add_row(rule, text)
    return Group(Text(title, style="bold"), table)


def what_if_view(answer: WhatIf) -> Group:
    """Return the what-if comparison: the changes, the outcome before and after, and what changed
    (no tables when nothing changes: each fact asked for already has its value)."""
    if not answer.changes:
        return Group(Text(answer.sentence(), style="bold"))
    changes = Table(title="Changes", title_justify="left", expand=False)
    for column in ("fact", "was", "now"):
        changes.add_column(column)
    for change in answer.changes:
        changes.add_row(fact_label(change.fact), change.said_before(), change.said_after())
    outcome = Text.assemble(
        ("Before: ", "bold"),
        (answer.before.label, OUTCOME_STYLE[answer.before.outcome]),
        f" ({answer.before.deciding_rule})   ",
        ("After: ", "bold"),
        (answer.after.label, OUTCOME_STYLE[answer.after.outcome]),
        f" ({answer.after.deciding_rule})",
    )
    diff = Table(title="What changed in the reasoning", title_justify="left", expand=False)
    for column in ("", "only before", "only after"):
        diff.add_column(column)
    diff.add_row("rules fired", _list(answer.fired_only_before), _list(answer.fired_only_after))
    diff.add_row("signals", _list(answer.signals_lost), _list(answer.signals_gained))
    diff.add_row("cautions", _list(answer.cautions_lost), _list(answer.cautions_gained))
    note = [Text(f"({answer.already_said()}.)", style="dim")] if answer.already else []
    return Group(Text(answer.sentence(), style="bold"), *note, changes, outcome, diff)


def _list(items: Iterable[str]) -> Text:
    """Return items as one comma-separated Text, or a dash."""
    return Text(", ".join(items) or "—")


def sensitivity_line(analysis: Sensitivity) -> Text:
    """Return the one-line robustness summary, green when stable."""
    return Text(analysis.summary(), style="green" if analysis.stable else "yellow")


OVER_READINGS = "Each change is of one answer, the advice taken over every reading of the others."


def sensitivity_lines(analysis: Sensitivity) -> list[Text]:
    """Return the robustness summary and, when the changes were judged over the readings of contested
    facts, a line that says so."""
    note = [Text(OVER_READINGS, style="dim")] if analysis.over_readings else []
    return [sensitivity_line(analysis), *note]


def sensitivity_view(analysis: Sensitivity) -> Group:
    """Return the summary and a table of every single-fact change that alters the recommendation
    (a contested fact changes from its plausible values: "low or high → moderate")."""
    if analysis.stable:
        return Group(*sensitivity_lines(analysis))
    table = Table(title="Single changes that alter the recommendation", title_justify="left", expand=False)
    for column in ("fact", "change", "would recommend", "rule"):
        table.add_column(column)
    for name, flips in analysis.by_fact().items():
        for i, flip in enumerate(flips):
            change = f"{flip.change.said_before()} → {show(name, flip.change.after)}"
            table.add_row(
                fact_label(name) if i == 0 else "",
                change,
                Text(label(flip.outcome), style=OUTCOME_STYLE[flip.outcome]),
                flip.rule,
            )
    return Group(*sensitivity_lines(analysis), table)


def explanation_view(explained: Explanation, title: Text, near: Precedents) -> Group:
    """Return a whole explanation under the case's heading: how (its sentence, then the tree), what if,
    why not, sensitivity (one line or in full, as the explanation says), then the closest precedents."""
    shown: list[RenderableType] = [title]
    rec = explained.recommendation
    if rec.contested:  # after the what-if changes, if any
        after = "After the changes, readings" if explained.what_if is not None else "Readings"
        shown += [Text(f"{after}: {rec.readings_sentence()}. {rec.followed_reading()}")]
    if explained.how is not None:
        shown += [Text(explained.how.sentence()), how_tree(explained.how)]
    if explained.what_if is not None:
        shown += [Text(), what_if_view(explained.what_if)]
    if explained.why_not is not None:
        shown += [Text(), why_not_view(explained.why_not, rec)]
    analysis = explained.sensitivity
    if analysis is not None:
        full = explained.full_sensitivity
        shown += [Text(), sensitivity_view(analysis) if full else Group(*sensitivity_lines(analysis))]
    if len(near):
        shown += [Text(), precedents_table(near, outcome=explained.recommendation.outcome)]
    return Group(*shown)
