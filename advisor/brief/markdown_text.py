"""The brief written as GitHub-flavoured Markdown, every piece of text escaped (and the precedents list)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from advisor.brief.blocks import Block, Grid, Heading, Items, Notice, Para, Span
from advisor.outcomes import label
from advisor.output import printable
from advisor.render.precedents import SHOWN_DIFFERENCES, describe, percent, warning

if TYPE_CHECKING:
    from advisor.precedents import Precedents


def to_markdown(blocks: Iterable[Block]) -> str:
    """Write blocks as Markdown, escaping every piece of text."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append("#" * block.level + " " + md_text(block.text))
        elif isinstance(block, Para):
            out.append(_md_spans(block.spans))
        elif isinstance(block, Notice):
            out.append("\n>\n".join(f"> {_md_spans(paragraph)}" for paragraph in block.paragraphs))
        elif isinstance(block, Items):
            out.append(
                "\n".join(
                    f"{f'{i}.' if block.numbered else '-'} {_md_spans(item)}"
                    for i, item in enumerate(block.items, start=1)
                )
            )
        elif isinstance(block, Grid):
            out.append(_md_table(block))
        else:
            out.append(f"```mermaid\n{block.text}\n```")
    return "\n\n".join(out) + "\n"


_MD_ESCAPE = re.compile(r"([\\`*_\[\]|~#])")


def md_text(text: str) -> str:
    """Escape text for Markdown: no emphasis, link, code, table cell break, raw HTML or terminal
    control (``\\x1b``, ``\\u202e``: see ``advisor.output.printable``) can come from it."""
    text = printable(re.sub(r"\s+", " ", text))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_ESCAPE.sub(r"\\\1", text)


def _md_spans(spans: Sequence[Span]) -> str:
    """Write styled spans as Markdown, keeping emphasis marks next to the text they mark."""
    parts = []
    for style, text in spans:
        core = text.strip()
        if not style or not core:
            parts.append(md_text(text))
            continue
        if style == "code":
            body = _md_code(core)
        elif style == "link":
            body = f"<{core}>"  # only ever a checked http(s) address: see blocks.link
        else:
            mark = "**" if style == "b" else "*"
            body = f"{mark}{md_text(core)}{mark}"
        parts.append((" " if text[0].isspace() else "") + body + (" " if text[-1].isspace() else ""))
    return "".join(parts)


def _md_code(text: str) -> str:
    """Write a code span whose fence is longer than any run of backticks inside it."""
    text = printable(re.sub(r"\s+", " ", text)).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _md_table(grid: Grid) -> str:
    """Write a table as a GFM pipe table."""
    lines = ["| " + " | ".join(md_text(h) for h in grid.header) + " |", "|" + "---|" * len(grid.header)]
    lines += ["| " + " | ".join(_md_spans(cell) for cell in row) + " |" for row in grid.rows]
    return "\n".join(lines)


def precedents_markdown(result: Precedents, *, outcome: str | None = None) -> str:
    """Return the precedents as a Markdown list (and the warning, given the rules' outcome)."""
    if not result.items:
        return "No precedents: no fact of weight is known.\n"
    lines = []
    for item in result.items:
        year = f" ({item.year})" if item.year is not None else ""
        title = f", {md_text(printable(item.title))}" if item.title else ""
        line = (
            f"- **{md_text(printable(item.case))}**{title}{year}: chose {md_text(label(item.chose))}, "
            f"{percent(item.similarity)} similar"
        )
        if item.differ:
            shown = "; ".join(md_text(describe(d)) for d in item.differ[:SHOWN_DIFFERENCES])
            line += f"; differs on {shown}"
        lines.append(line + ".")
    said = warning(result, outcome) if outcome is not None else None
    if said is not None:
        lines += ["", f"**{md_text(said)}**"]
    return "\n".join(lines) + "\n"
