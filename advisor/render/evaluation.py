"""Rendering a batch evaluation for the terminal: results, accuracy, confusion matrix, changes.

Case ids, titles and party names come from files: they go into ``Text`` objects,
never into markup strings, so ``[bold]`` in a title is shown as typed, and their
control characters and newlines are visibly escaped (a title cannot forge a line).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from advisor.evaluate import CaseResult, Evaluation, Summary, Verdict, VerdictChange, summarize
from advisor.outcomes import OUTCOME_IDS
from advisor.output import install, printable
from advisor.render.terminal import OUTCOME_STYLE

WIDE = 100  # from this console width on, tables show the deciding rule and full outcome ids
VERY_WIDE = 140  # from this width on, the results also show each case's title
MATRIX_WIDE = 120  # from this width on, the matrix is headed by full outcome ids (they need ~115 columns)
MATCH_MARK = {True: Text("✓", style="bold green"), False: Text("✗", style="bold red"), None: Text("-")}
NARROW = 80  # below this console width, results become a list and the matrix is headed by numbers
UNBOUNDED = 10_000  # a width no table reaches: measured against it, a table says how wide it must be
CONFIDENCE_STYLE = {"clear": "green", "leaning": "", "close": "yellow"}


def parties_text(parties: Sequence[str], *, shown: int = 3) -> Text:
    """Return the parties as plain text, the first few named and the rest counted."""
    names = printable(", ".join(parties[:shown]))
    more = f" +{len(parties) - shown}" if len(parties) > shown else ""
    return Text(names + more)


def outcome_text(outcome: str | None) -> Text:
    """Return an outcome id in its colour, or a dash for none."""
    if outcome is None:
        return Text("-", style="dim")
    return Text(outcome, style=OUTCOME_STYLE.get(outcome, ""))


def confidence_text(verdict: Verdict) -> Text:
    """Return how clear a verdict's advice is (clear, leaning, close), or a dash when it was not judged."""
    if verdict.confidence is None:
        return Text("-", style="dim")
    return Text(verdict.confidence, style=CONFIDENCE_STYLE[verdict.confidence])


def verdict_text(verdict: Verdict, *, apart: bool = False) -> Text:
    """Return an outcome and, dimmed, the rule that decided it (on a line of its own if ``apart``)."""
    rule = f"\n{verdict.deciding_rule}" if apart else f" ({verdict.deciding_rule})"
    return Text.assemble(outcome_text(verdict.outcome), (rule, "dim"))


def results_table(results: Sequence[CaseResult], *, width: int = WIDE) -> Table | None:
    """Return one row per case: case, parties, year, recommendation, confidence, expected, ✓/✗.

    The table fits the width: a narrow one shows the parties under the case id;
    wider ones add each deciding rule, then each title. None when even the narrow
    one is wider (a long case id): no column is ever cropped; ``results_list`` fits.
    """
    install()
    longest = max((len(printable(r.case.id)) for r in results), default=0)
    apart, with_rule, with_title = (width >= longest + extra for extra in (83, 93, 123))
    table = Table(title="Cases", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
    if apart:
        table.add_column("case")
    else:  # the parties line may not widen the column beyond the ids
        table.add_column("case / parties", no_wrap=True, overflow="ellipsis", max_width=max(longest, 24))
    if with_title:
        table.add_column("title", overflow="ellipsis", no_wrap=True, max_width=40)
    if apart:
        table.add_column("parties")
    table.add_column("year", no_wrap=True)
    table.add_column("recommendation", no_wrap=True)
    if with_rule:
        table.add_column("rule", no_wrap=True)
    table.add_column("confidence", no_wrap=True)
    table.add_column("expected", no_wrap=True)
    table.add_column("", no_wrap=True)
    for r in results:
        case, row = r.case, [Text(printable(r.case.id), style="bold")]
        if with_title:
            row.append(Text(printable(case.title or "")))
        if apart:
            row.append(parties_text(case.parties))
        else:
            row[0].append(Text.assemble("\n", parties_text(case.parties), style="dim"))
        row += [Text(str(case.year or "")), outcome_text(r.verdict.outcome)]
        if with_rule:
            row.append(Text(r.verdict.deciding_rule, style="dim"))
        row.append(confidence_text(r.verdict))
        table.add_row(*row, outcome_text(case.expected), MATCH_MARK[r.match])
    return table if apart or _needs(table) <= width else None


def _needs(table: Table) -> int:
    """Return the width a table needs with no cell cropped (its no-wrap cells whole)."""
    console = Console(width=UNBOUNDED)
    return Measurement.get(console, console.options, table).minimum


def results_list(results: Sequence[CaseResult]) -> Text:
    """Return the results stacked for a narrow console: the verdict first, then the case, on two lines."""
    text = Text("Cases", style="bold")
    for r in results:
        case = r.case
        text.append("\n").append_text(MATCH_MARK[r.match]).append(" ")
        text.append(printable(case.id or ""), style="bold").append(f" {case.year or ''}".rstrip())
        text.append("\n  recommended ").append_text(outcome_text(r.verdict.outcome))
        if r.verdict.confidence is not None:
            text.append(" (").append_text(confidence_text(r.verdict)).append(")")
        if case.expected is not None:
            text.append(", expected ").append_text(outcome_text(case.expected))
        if case.parties:
            text.append("\n  ").append_text(parties_text(case.parties)).stylize("dim", len(text) - 1)
    return text


def accuracy_text(summary: Summary) -> Text:
    """Return the accuracy line: matches among the cases with an expectation, and what was left out."""
    text = Text("Accuracy: ", style="bold")
    if summary.accuracy is None:
        text.append("no case was evaluated" if not summary.cases else "no case names an expected outcome")
    else:
        text.append(f"{summary.matched}/{summary.with_expected} ({summary.accuracy:.0%})", style="bold")
        text.append(" of the cases with an expectation")
    without = summary.cases - summary.with_expected
    if without and summary.with_expected:
        text.append(f"; {without} without")
    if summary.errors:
        text.append(f"; {summary.errors} invalid input{'s' if summary.errors != 1 else ''}", style="red")
    return text


def calibration_text(summary: Summary) -> Text | None:
    """Return how each confidence fared on the cases with an expectation (None when none was judged):
    "Clear: 21 of 26 right (81%) · leaning: … · close: …"."""
    levels = summary.by_confidence
    if not any(n for n, _ in levels.values()):
        return None
    text = Text()
    for i, (level, calibration) in enumerate(levels.items()):
        text.append(" · " if i else "")
        text.append(f"{level.capitalize() if not i else level}:", style=CONFIDENCE_STYLE[level])
        if calibration.share is None:
            text.append(" none", style="dim")
            continue
        right = " right" if not i else ""
        text.append(f" {calibration.matched} of {calibration.cases}{right} ({calibration.share:.0%})")
    return text


def confusion_table(evaluation: Evaluation, *, width: int = WIDE) -> Table:
    """Return the confusion matrix (expected rows, recommended columns) with each outcome's recall.

    On a narrow console the columns are headed by numbers (a legend below says which outcome each
    is), and the recall column gives the share alone.
    """
    narrow = width < NARROW
    table = Table(
        title="Expected (rows) against recommended (columns)",
        title_justify="left",
        box=box.SIMPLE_HEAVY,
        caption=_legend() if narrow else None,
        caption_justify="left",
    )
    table.add_column("expected", no_wrap=True)
    for number, outcome in enumerate(OUTCOME_IDS, start=1):
        heading = str(number) if narrow else outcome if width >= MATRIX_WIDE else outcome[:5]
        table.add_column(heading, justify="right", no_wrap=True)
    table.add_column("recall", justify="right", no_wrap=True)
    recall = evaluation.recall()
    for expected, row in evaluation.confusion().items():
        cells = [_count(n, expected == got) for got, n in row.items()]
        share, total = recall[expected], sum(row.values())
        # narrow, the share alone (its count is the row's diagonal cell): three-digit counts would not fit
        counts = "" if narrow else f"{row[expected]}/{total} "
        shown = Text("-", style="dim") if share is None else Text(f"{counts}{share:.0%}")
        name = outcome_text(expected)
        if narrow:
            name = Text.assemble(f"{OUTCOME_IDS.index(expected) + 1} ", name)
        table.add_row(name, *cells, shown)
    return table


def _legend() -> Text:
    """Return the key to a matrix headed by numbers."""
    return Text("  ".join(f"{n} {o}" for n, o in enumerate(OUTCOME_IDS, start=1)), style="dim")


def _count(n: int, diagonal: bool) -> Text:
    """Return a matrix cell: hits in green, misses in red, zeros dimmed."""
    if n == 0:
        return Text("·", style="dim")
    return Text(str(n), style="bold green" if diagonal else "red")


def changes_table(changes: Sequence[VerdictChange], *, width: int = WIDE) -> Table:
    """Return one row per changed case: old and new outcome with their rules, and what made the difference.

    On a narrow console each rule goes under its outcome and the expectation under the case id.
    """
    install()
    longest = max((len(printable(c.case.id)) for c in changes), default=0)
    wide = width >= longest + 90
    table = Table(title="Cases whose recommendation changes", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("case", no_wrap=True)
    table.add_column("old (rule)", no_wrap=True)
    table.add_column("new (rule)", no_wrap=True)
    if wide:
        table.add_column("expected", no_wrap=True)
    table.add_column("made the difference")
    for change in changes:
        case = Text(printable(change.case.id), style="bold")
        old, new = verdict_text(change.old, apart=not wide), verdict_text(change.new, apart=not wide)
        if wide:
            table.add_row(case, old, new, outcome_text(change.case.expected), _difference_text(change))
            continue
        if change.case.expected:
            case.append_text(Text.assemble("\nexpected ", outcome_text(change.case.expected), style="dim"))
        table.add_row(case, old, new, _difference_text(change))
    return table


def _difference_text(change: VerdictChange) -> Text:
    """Return the rules that made the difference, the edited ones marked."""
    text = Text()
    for i, rule in enumerate(change.difference):
        text.append(", " if i else "")
        text.append(rule, style="bold" if rule in change.edited else "")
        if rule in change.edited:
            text.append(" (edited)", style="yellow")
    return text


def comparison_text(evaluation: Evaluation) -> Text:
    """Return how many cases change and the accuracy under each knowledge base."""
    assert evaluation.against is not None and evaluation.changes is not None
    old = evaluation.summary
    new = summarize(evaluation.against, old.errors)
    text = Text(f"{len(evaluation.changes)} of {old.cases} cases change.", style="bold")
    for name, summary, rules in (("before", old, evaluation.rules), ("after", new, evaluation.other_rules)):
        text.append(f"\nAccuracy {name}: ")
        if summary.accuracy is None:
            text.append("no expectations")
        else:
            text.append(f"{summary.matched}/{summary.with_expected} ({summary.accuracy:.0%})", style="bold")
        text.append(f"  with {_shown(rules)}", style="dim")
    return text


def _shown(directory: Path | None) -> str:
    """Name a rules directory as a person would look for it: relative to here when below here."""
    if directory is None:
        return "-"
    try:
        return str(directory.relative_to(Path.cwd()))
    except ValueError:
        return str(directory)


class EvaluationReport:
    """The whole report of a batch: results, accuracy and matrix; or, comparing, the changes.

    Its tables fit the console: narrow ones get fewer columns and shorter headings.
    """

    def __init__(self, evaluation: Evaluation):
        self.evaluation = evaluation

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Yield the parts of the report for this console's width."""
        evaluation, width = self.evaluation, options.max_width
        if evaluation.changes is not None:
            if evaluation.changes:
                yield changes_table(evaluation.changes, width=width)
            yield comparison_text(evaluation)
            return
        if evaluation.results:
            table = None if width < NARROW else results_table(evaluation.results, width=width)
            yield results_list(evaluation.results) if table is None else table
        yield accuracy_text(evaluation.summary)
        calibration = calibration_text(evaluation.summary)
        if calibration is not None:
            yield calibration
        if evaluation.summary.with_expected:
            yield confusion_table(evaluation, width=width)
