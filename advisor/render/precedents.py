"""Precedents shown to people: the text of a difference, the warning, percentages, the rich table.

Every text from a case file has its control characters (newlines too) visibly escaped before it is
shown, as in every other listing (``advisor.output.printable``): ``\\x1b``, never dropped.
"""

from __future__ import annotations

import math

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from advisor.facts import fact_label, scales
from advisor.outcomes import label
from advisor.output import printable
from advisor.precedents import Difference, Precedents, QueryValue

SHOWN_DIFFERENCES = 3


def percent(value: float) -> str:
    """Return a similarity as a whole percentage, never rounding a partial match up to 100%."""
    whole = math.floor(value * 100 + 1e-9)
    return f"{min(whole, 99) if value < 1 else 100}%"


def show_value(fact: str, value: QueryValue) -> str:
    """Return a fact's value as written in a case file; several plausible values joined by ``|``."""
    if value is None:
        return "unknown"
    if isinstance(value, str | bool):
        return scales()[fact].show(value)
    return "|".join(scales()[fact].show(v) for v in value)


def arrow(difference: Difference) -> str:
    """Say a difference briefly: ``threat level: high → existential`` (this case → precedent)."""
    fact, here, there = _shown(difference)
    return f"{fact}: {here} → {there}"


def describe(difference: Difference) -> str:
    """Say a difference in words: ``threat level: high here, existential there``."""
    fact, here, there = _shown(difference)
    return f"{fact}: {here} here, {there} there"


def _shown(difference: Difference) -> tuple[str, str, str]:
    """Return the fact's label, its value in this case and its value in the precedent."""
    name = difference.fact
    return fact_label(name), show_value(name, difference.query), show_value(name, difference.precedent)


def warning(result: Precedents, outcome: str) -> str | None:
    """Return one plain line when the rules and the precedents point different ways, else None."""
    if result.lean is None or not result.disagrees_with(outcome):
        return None
    names = ", ".join(printable(p.case) for p in result.items if p.chose == result.lean)
    return (
        f"The rules recommend {label(outcome)}, but the closest precedents ({names}) "
        f"chose {label(result.lean)}: think hardest here."
    )


def precedents_table(result: Precedents, *, outcome: str | None = None) -> RenderableType:
    """Return the precedents as a rich table (and, given the rules' outcome, the warning below it).

    Every text from a case file has its control characters visibly escaped, and is escaped before it
    meets markup.
    """
    if not result.items:
        return Text("No precedents: no fact of weight is known.", style="dim")
    table = _Table(result, outcome)
    said = warning(result, outcome) if outcome is not None else None
    if said is None:
        return table
    return Group(table, Text(said, style="bold yellow"))


# A precedent's id is kept on one line (up to ID_WIDTH characters) when the other columns,
# at their narrowest, leave room for it (OTHERS); below MIN_KEPT, rich folds it as it must.
ID_WIDTH = 30
OTHERS = 80
MIN_KEPT = 20
CHOICE_WIDTH = 23  # and the outcome's name wraps, so that the table still fits


class _Table:
    """The precedents table, laid out for the width it is given: an id is what a reader copies
    (``cases/library/<id>.yaml``), so a wide enough screen keeps it whole."""

    def __init__(self, result: Precedents, outcome: str | None) -> None:
        self.result, self.outcome = result, outcome

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widest = max(len(printable(item.case)) for item in self.result.items)
        room = options.max_width - OTHERS  # what the other columns leave at their narrowest
        keep = min(widest, ID_WIDTH, room) if room >= MIN_KEPT else None
        table = Table(title="Closest precedents", title_justify="left", show_lines=False)
        table.add_column("Precedent", overflow="fold", min_width=keep)
        table.add_column("Year", justify="right", no_wrap=True)
        table.add_column("They chose", max_width=CHOICE_WIDTH if keep else None)
        table.add_column("Similar", justify="right", no_wrap=True)
        table.add_column("Main differences (this case → precedent)", overflow="fold")
        for item in self.result.items:
            name = escape(printable(item.case))
            if item.title:
                name += f"\n[dim]{escape(printable(item.title))}[/dim]"
            choice = escape(label(item.chose))
            if self.outcome is not None and item.chose != self.outcome:
                choice = f"[bold]{choice}[/bold]"
            differences = "\n".join(escape(arrow(d)) for d in item.differ[:SHOWN_DIFFERENCES]) or "none"
            year = str(item.year) if item.year is not None else "?"
            table.add_row(name, year, choice, percent(item.similarity), differences)
        yield table
