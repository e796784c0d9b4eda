"""Tables that fit a narrow terminal: below a width, each row becomes a block instead of a line.

A table of four text columns squeezed into 40 columns breaks its words into a few letters a line
(``best-s…``). ``Stacked`` shows such a table as it is when there is room, and otherwise each
row as a block: its first cell in bold, then every other cell on its own line, after its
column's name, wrapped under itself.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from advisor.output import MIN_WIDTH

NARROWEST = 40  # the width floor of the outputs laid out for a narrow terminal (output.console)
WIDE = MIN_WIDTH  # from this width, a table; below it, blocks (what output.MIN_WIDTH gives tables)


class Stacked:
    """A table shown as blocks, one a row, when the width it is given is below ``wide``; with ``wide``
    None, below the width the table needs to show every word of every cell whole (its narrowest)."""

    def __init__(self, table: Table, wide: int | None = WIDE):
        self.table, self.wide = table, wide

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        wide = self.wide
        if wide is None:
            wide = Measurement.get(console, options.update_width(10_000), self.table).minimum
        if options.max_width >= wide:
            yield self.table
            return
        table = self.table
        if table.title:
            yield _text(table.title)
        columns = [list(column.cells) for column in table.columns]
        headers = [column.header for column in table.columns]
        for row in range(table.row_count):
            heading = _text(columns[0][row])
            if isinstance(heading, Text):
                heading = heading.copy()
                heading.stylize("bold")
            yield heading
            fields = Table.grid(padding=(0, 1))
            fields.add_column(style="dim", no_wrap=True)
            fields.add_column(overflow="fold")
            for header, cells in zip(headers[1:], columns[1:], strict=True):
                fields.add_row(_text(header), _text(cells[row]))
            yield Padding(fields, (0, 0, 0, 2))
        if table.caption:
            yield _text(table.caption)


def _text(cell: RenderableType) -> RenderableType:
    """Return a cell as it reads: a string is text as written, never markup (it may come from a file)."""
    return Text(cell) if isinstance(cell, str) else cell
