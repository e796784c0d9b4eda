"""Terminal renderings of exercises: the pack's list, a brief, and the feedback on a submission.

Plain data in (``Pack``, ``Scenario``, ``Feedback``), rich renderables out. Text
from files (briefs, justifications, rationales) is shown as written, never read
as rich markup.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from advisor.exercise.feedback import FactFeedback, Feedback, sentence
from advisor.exercise.grade import ClassGrades, FactSpread
from advisor.exercise.model import PARTS, Pack, Scenario
from advisor.exercise.submission import show_answer
from advisor.facts import fact_label
from advisor.outcomes import label
from advisor.output import printable
from advisor.render.narrow import Stacked

SHORT_NAMES = {
    "facts_that_matter": "key facts",
    "other_facts": "other",
    "prediction_history": "history",
    "prediction_reference": "advice",
    "rationale": "why",
}
PART_NAMES = {
    "facts_that_matter": "facts that matter",
    "other_facts": "other facts",
    "prediction_history": "prediction = history",
    "prediction_reference": "prediction = reference advice",
    "rationale": "rationale",
}


def scenario_table(pack: Pack) -> Table:
    """Return the pack's scenarios, one a row: id, year, parties and title (never the outcome)."""
    # Text, never markup (the pack's words are shown as written, stacked too); a word too long for
    # its column is folded onto the next line, never cut off
    title = Text(printable(f"{pack.title} (pack {pack.id}, version {pack.version})"))
    table = Table(title=title, title_justify="left")
    table.add_column("id", overflow="fold", max_width=32)
    table.add_column("year", justify="right", no_wrap=True)
    table.add_column("parties", overflow="fold")
    table.add_column("title", overflow="fold")
    for scenario in pack.scenarios.values():
        table.add_row(
            Text(printable(scenario.id)),
            str(scenario.year),
            _parties(scenario),
            Text(printable(scenario.title)),
        )
    return table


def _parties(scenario: Scenario) -> Text:
    names = list(scenario.parties)
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return Text(printable(shown))


def brief_markdown(scenario: Scenario) -> str:
    """Return a scenario's brief as one Markdown text: title, brief, sources (none in a students' copy)."""
    from advisor.brief.markdown_text import md_text  # the title and sources are text, the brief Markdown

    sources = "\n".join(f"- {md_text(s)}" for s in scenario.sources)
    return f"# {md_text(scenario.title)}\n\n{scenario.brief}\n" + (
        f"\n## Sources\n\n{sources}\n" if sources else ""
    )


def brief(scenario: Scenario) -> Markdown:
    """Return a scenario's brief for the terminal."""
    return Markdown(brief_markdown(scenario), hyperlinks=False)


def feedback_view(fb: Feedback) -> Group:
    """Return the whole feedback: the answers, each fact, what the differences do, the score, the debrief."""
    parts: list[RenderableType] = [
        _heading(fb),
        _outcomes(fb),
        _fact_table(fb),
    ]
    differences = _differences(fb)
    if differences is not None:
        parts.append(differences)
    for note in fb.notes:
        parts.append(Text(note, style="dim"))
    parts += [_score_table(fb), _debrief(fb)]
    return Group(*parts)


def _heading(fb: Feedback) -> Text:
    text = Text(f"Feedback: {printable(fb.scenario.title)}\n", style="bold")
    text.append(printable(f"{fb.submission.student} · scenario {fb.scenario.id}"), style="dim")
    return text


def _outcomes(fb: Feedback) -> Panel:
    """Say side by side what the advisor gives for each coding, what was predicted, and what happened."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    rows = [
        ("Your prediction", fb.submission.prediction),
        ("The advisor, from your coding", fb.your_recommendation),
        ("The advisor, from the reference coding", fb.reference_recommendation),
        ("What actually happened", fb.scenario.actual or ""),
    ]
    for name, outcome in rows:
        table.add_row(name, label(outcome))
    if fb.submission.rationale:
        table.add_row("Your rationale", Text(fb.submission.rationale))
    return Panel(table, title=f"Score {fb.score:g} / 100", title_align="left", expand=False)


def _fact_table(fb: Feedback) -> Table:
    table = Table(title="Your coding against the reference", title_justify="left")
    table.add_column("fact", no_wrap=True)
    table.add_column("yours", no_wrap=True)
    table.add_column("reference", no_wrap=True)
    table.add_column("")
    for item in fb.facts:
        table.add_row(fact_label(item.fact), item.shown, show_answer(item.reference), _mark(item))
    return table


def _mark(item: FactFeedback) -> Text:
    if item.agrees:
        return Text("agrees" + (" (a fact that matters)" if item.matters else ""), style="green")
    if item.changes_advice:
        return Text("differs: changes the advice", style="bold red")
    if not item.given:
        return Text("not given: not scored as agreeing", style="yellow")
    if item.contested:
        return Text("unknown or contested: not scored as agreeing", style="yellow")
    return Text("differs: the advice stays", style="yellow")


def _differences(fb: Feedback) -> Group | None:
    """Explain each difference: the sentence, the reference's justification and the rule's seed passage."""
    items = fb.disagreements
    if not items:
        return None
    lines: list[RenderableType] = [Text("Where you differ", style="bold underline")]
    for item in items:
        said = sentence(item)
        lines.append(Text("• " + said[0].upper() + said[1:], style="bold"))
        text = Text(f"The reference: {item.why}")
        d = item.difference
        if d is not None and d.changes_advice and d.rule:
            source = f"seed {d.seed}" if d.seed else "its source"
            text.append(f"\nThe rule that made the difference: {d.rule} {d.title}.")
            text.append(f"\nFrom {source}: “{d.passage}”", style="italic")
        lines.append(Padding(text, (0, 0, 0, 2)))
    together = fb.your_recommendation != fb.reference_recommendation and not fb.decisive
    if together:
        lines.append(
            Text(
                f"No single difference changes the advice, but together your coding moves it from "
                f"{label(fb.reference_recommendation)} to {label(fb.your_recommendation)}.",
                style="bold",
            )
        )
    return Group(*lines)


def _score_table(fb: Feedback) -> Table:
    table = Table(title="Your score, part by part (the pack's rubric)", title_justify="left")
    table.add_column("part")
    table.add_column("points", justify="right")
    table.add_column("of", justify="right")
    for part in PARTS:
        table.add_row(PART_NAMES[part], f"{fb.parts[part]:.1f}", f"{fb.possible[part]:.1f}")
    table.add_row(Text("score", style="bold"), Text(f"{fb.score:.1f}", style="bold"), "100.0")
    return table


def _debrief(fb: Feedback) -> Markdown:
    questions = "\n".join(f"{i}. {q}" for i, q in enumerate(fb.scenario.questions, start=1))
    return Markdown(
        f"## What happened, and what it teaches\n\n{fb.scenario.debrief or ''}\n\n"
        f"## For discussion\n\n{questions}\n",
        hyperlinks=False,
    )


# --- the class, for instructors -------------------------------------------------------------------

SPREAD_ROWS = 15  # contested (scenario, fact) pairs shown in the terminal; the reports show more


def grades_view(grades: ClassGrades) -> Group:
    """Return the class in the terminal: scores, the most contested facts, predictions, what changed."""
    several = len(grades.by_scenario()) > 1  # with one scenario, its name is said once, in the titles
    parts: list[RenderableType] = [_class_table(grades, several)] if grades.graded else []
    contested = [s for s in grades.spread() if s.disagreement > 0]
    if contested:
        parts.append(_spread_table(contested[:SPREAD_ROWS], len(contested), several))
    if grades.graded:
        parts.append(_predictions_table(grades))
    if grades.changed():
        parts.append(_changed_table(grades, several))
    mean = grades.mean()
    summary = f"{len(grades.graded)} graded, {len(grades.rejected)} rejected"
    parts.append(Text(summary + (f"; mean score {mean:g}" if mean is not None else ""), style="bold"))
    return Group(*(Stacked(p, wide=None) if isinstance(p, Table) else p for p in parts))


def _only(grades: ClassGrades, several: bool) -> str:
    return "" if several or not grades.graded else f", {printable(grades.graded[0].scenario.id)}"


def _class_table(grades: ClassGrades, several: bool) -> Table:
    legend = "; ".join(f"{SHORT_NAMES[p]} = {PART_NAMES[p]}" for p in PARTS)
    table = Table(
        title=escape(printable(f"Scores ({grades.pack.id}, version {grades.pack.version}"))
        + f"{_only(grades, several)})",
        title_justify="left",
        caption=f"Points per part: {legend}.",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("student")
    if several:
        _scenario_column(table, (str(row["scenario"]) for row in grades.rows()))
    table.add_column("score", justify="right")
    for part in PARTS:
        table.add_column(SHORT_NAMES[part], justify="right")
    for row in grades.rows():
        cells = [printable(row["scenario"])] if several else []
        cells += [f"{row['score']:.1f}", *(f"{row[p]:.1f}" for p in PARTS)]
        table.add_row(Text(printable(row["student"])), *cells)
    return table


def _scenario_column(table: Table, ids: Iterable[str]) -> None:
    """Add the scenario column: wide enough for its longest id (up to 32), else folded, never cut."""
    longest = max((len(printable(i)) for i in ids), default=8)
    table.add_column("scenario", overflow="fold", min_width=min(longest, 32))


def _spread_table(spread: list[FactSpread], total: int, several: bool) -> Table:
    more = f" ({len(spread)} of {total} shown)" if total > len(spread) else ""
    table = Table(
        title=f"The most contested facts{more}",
        title_justify="left",
        caption="agree: codings equal to the reference; decisive: codings that alone change the advice.",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
    )
    if several:
        _scenario_column(table, (s.scenario for s in spread))
    table.add_column("fact", no_wrap=True)
    table.add_column("reference")
    table.add_column("agree", justify="right", no_wrap=True)
    table.add_column("decisive", justify="right")
    table.add_column("the class's codings")
    for s in spread:
        codings = ", ".join(f"{v} {n}" for v, n in s.counts.items())
        cells = [printable(s.scenario)] if several else []
        cells += [
            fact_label(s.fact),
            show_answer(s.reference),
            f"{s.agree}/{s.total}",
            str(s.changed),
            codings,
        ]
        table.add_row(*cells)
    return table


def _predictions_table(grades: ClassGrades) -> Table:
    table = Table(title="Predictions against what happened", title_justify="left", box=box.SIMPLE_HEAD)
    _scenario_column(table, (p.scenario for p in grades.predictions()))
    table.add_column("happened")
    table.add_column("reference advice")
    table.add_column("predictions")
    for p in grades.predictions():
        shown = Text()
        for outcome, count in ((o, n) for o, n in p.counts.items() if n):
            if len(shown):
                shown.append(", ")
            shown.append(f"{outcome} {count}", style="bold green" if outcome == p.actual else "")
        table.add_row(printable(p.scenario), p.actual, p.reference, shown)
    return table


def _changed_table(grades: ClassGrades, several: bool) -> Table:
    table = Table(
        title="Submissions whose coding changed the advice", title_justify="left", box=box.SIMPLE_HEAD
    )
    table.add_column("student")
    if several:
        _scenario_column(table, (fb.scenario.id for fb in grades.changed()))
    table.add_column("advice from their coding")
    table.add_column("reference advice")
    table.add_column("decisive differences")
    for fb in grades.changed():
        decisive = ", ".join(fact_label(f.fact) for f in fb.decisive) or "none alone; together"
        cells = [printable(fb.scenario.id)] if several else []
        cells += [fb.your_recommendation, fb.reference_recommendation, decisive]
        table.add_row(Text(printable(fb.submission.student)), *cells)
    return table
