"""What a consultation shows besides the recommendation: the summary of answers, and what rests on gaps.

Rendering only: the gaps are worked out by ``advisor.ask.gaps.find_gaps`` (which runs the engine),
the relevance by ``advisor.engine.relevance.analyse``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from advisor.ask.questions import said, shown_questions
from advisor.facts import OPTIONAL_DEFAULTS, fact_label, grouping_of, join
from advisor.optional import show_defaulted
from advisor.outcomes import label
from advisor.output import printable

if TYPE_CHECKING:
    from advisor.ask.gaps import Fragile, Gaps, OpenCaution, UnknownFact
    from advisor.ask.session import Session
    from advisor.engine import Relevance
    from advisor.rulebase import KnowledgeBase


def summary_table(
    session: Session, rel: Relevance, kb: KnowledgeBase, *, prefilled: bool = False, width: int = 80
) -> RenderableType:
    """Return every answer in question order, with how it was given (or why it was not asked).

    Below 80 columns the table becomes a list, one answer a line and its note under it.
    """
    title = "Pre-filled answers (from the case file)" if prefilled else "Your answers"
    rows = [("", "parties", printable(" / ".join(session.parties or session.suggested_parties)), "")]
    grouping = grouping_of(session.parties or session.suggested_parties)
    for number, fact in enumerate(shown_questions(grouping), start=1):
        value = session.default(fact)
        if fact in session.answers:
            answer, note = said(fact, session.answers[fact]), ""
        elif fact in session.unknown:
            answer, note = "unknown", "the advisor reasons over every value"
        elif fact in session.contested:
            answer, note = said(fact, session.contested[fact]), "the advisor reasons over each"
        elif prefilled and fact in session.taken_back_unknown:
            answer, note = "unknown", "the advisor reasons over every value"
        elif prefilled and value is None and fact in OPTIONAL_DEFAULTS:
            answer, note = show_defaulted(fact), "the case file does not give it"
        elif prefilled:
            answer, note = said(fact, value), ""
        else:
            answer = said(fact, value) if value is not None else "—"
            if value is None and fact in OPTIONAL_DEFAULTS:
                answer = show_defaulted(fact)
            kept = "pre-filled, " if value is not None else ""
            note = f"{kept}not asked: {_short_reason(rel, fact)}"
        rows.append((str(number), fact_label(fact), answer, note))
    if width < 80:
        text = Text(title, style="bold")
        for shown_number, label_, answer, note in rows:
            text.append(f"\n{shown_number:>2} {label_}: ", style="bold").append(answer)
            if note:
                text.append(f"\n     {note}", style="dim")
        return text
    table = Table(title=title, title_justify="left", expand=False)
    # the row numbers are what "Which answer do you want to change?" asks for: never squeezed out;
    # long party names wrap in their cell rather than push the notes off the screen
    table.add_column("#", justify="right", no_wrap=True, min_width=2)
    table.add_column("question", no_wrap=True)
    longest = max((len(answer) for _, _, answer, _ in rows[1:]), default=0)  # an answer never wraps
    table.add_column("answer", overflow="fold", min_width=min(longest, 30))
    table.add_column("note", min_width=14)
    for shown_number, label_, answer, note in rows:
        table.add_row(shown_number, label_, Text(answer), note)
    return table


def _short_reason(rel: Relevance, fact: str) -> str:
    """Say in a few words why a fact was not asked."""
    status = rel.status(fact)
    if status == "caution":
        return f"it could only add a caution ({', '.join(rel.cautionary[fact])})"
    if status == "decisive":
        return "still to be asked"
    return "it cannot change the recommendation"


def gaps_report(gaps: Gaps) -> RenderableType | None:
    """Return what rests on missing answers: skipped facts, unknown facts and their what-ifs, cautions."""
    parts: list[RenderableType] = []
    if gaps.skipped:
        text = Text("Not asked, because they could not change the recommendation: ", style="bold")
        parts.append(text.append(", ".join(map(fact_label, gaps.skipped)), style="not bold"))
    if gaps.unknown:
        parts.append(_unknown_facts(gaps.unknown, gaps.outcome))
    if gaps.others is not None:
        parts.append(
            Text.assemble(
                (f"The recommendation rests on {_resting_on(gaps)}: ", "bold yellow"),
                f"with other answers it could be {', '.join(label(o) for o in gaps.others)}.",
            )
        )
    if gaps.fragile:
        parts.append(_fragile(gaps.fragile))
    if gaps.cautions:
        parts.append(_open_cautions(gaps.cautions))
    return Group(*parts) if parts else None


def _resting_on(gaps: Gaps) -> str:
    """Name the answers other outcomes rest on: 'contested answers (threat level)', 'unknown answers
    (entrapment risk)', the questions not asked; 'missing answers' when no one kind can be named."""
    kinds = []
    if gaps.contested:
        kinds.append(f"contested answers ({join(map(fact_label, gaps.contested))})")
    if gaps.unknown_splitting:
        kinds.append(f"unknown answers ({join(map(fact_label, gaps.unknown_splitting))})")
    if gaps.unasked:
        kinds.append("the questions not asked")
    return join(kinds) if kinds else "missing answers"


def _unknown_facts(unknown: Sequence[UnknownFact], outcome: str) -> Text:
    """Say, for each unknown fact, what each of its values would make the recommendation."""
    text = Text("Unknown answers: what each value would give", style="bold")
    for item in unknown:
        text.append(f"\n  {fact_label(item.fact)}", style="bold")
        if [o for o, _ in item.gives] == [outcome]:
            text.append(f": any value gives {label(outcome)}")
        else:
            groups = [
                f"{', '.join(vs)} → {label(o)}" + (" (as now)" if o == outcome else "")
                for o, vs in item.gives
            ]
            text.append(": " + "; ".join(groups))
        text.append(f"\n    tested by {', '.join(item.tested_by)}", style="dim")
        if item.signals:
            text.append(f" (signals {', '.join(item.signals)})", style="dim")
    return text


def _fragile(fragile: Sequence[Fragile]) -> Text:
    """Name the firings that rest on a signal being absent which a missing answer could supply."""
    text = Text(
        "Conclusions resting on a missing answer (it could supply a signal they need absent)", style="bold"
    )
    for item in fragile:
        text.append(f"\n  {item.rule} ({item.conclusion}) fired because {', '.join(item.absent)} is absent")
    return text


def _open_cautions(cautions: Sequence[OpenCaution]) -> Text:
    """Name the cautions that may apply, or may not, depending on missing answers."""
    text = Text("Cautions that depend on missing answers", style="bold")
    for item in cautions:
        facts = ", ".join(map(fact_label, item.behind))
        if item.fired:
            state = (
                f"shown above, but it rests on {facts}" if facts else "it holds for this recommendation only"
            )
        else:
            state = (
                f"may also apply, depending on {facts}" if facts else "would apply to another recommendation"
            )
        text.append(f"\n  {printable(f'{item.rule} {item.title}')}: {state}")
    return text
