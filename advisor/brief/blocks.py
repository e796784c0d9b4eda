"""The blocks a brief is made of: headings, paragraphs of styled spans, lists, tables and the diagram.

A block holds plain text only; each writer (``markdown``, ``html``) escapes it for its target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.output import printable

Span = tuple[str, str]
"""A run of inline text and its style: '' plain, 'b' bold, 'i' italic, 'code' an identifier,
'link' a web address (checked by ``link``)."""

_URL = re.compile(r"https?://[^\s<>\"'`\\]+")


def link(text: str) -> Span:
    """Return a web address as a link span, or as plain text unless it is a plain http(s) address."""
    return ("link", text) if _URL.fullmatch(text) and printable(text) == text else ("", text)


def spans(*parts: Span | str) -> tuple[Span, ...]:
    """Return spans, reading a bare string as plain text."""
    return tuple(("", s) if isinstance(s, str) else s for s in parts)


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading."""

    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Para:
    """A paragraph of styled spans."""

    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Notice:
    """Paragraphs set apart from the text around them, that no reader can miss (a what-if brief's
    warning that it is not the case as filed): a quotation block in Markdown, a framed box in HTML."""

    paragraphs: tuple[tuple[Span, ...], ...]


@dataclass(frozen=True, slots=True)
class Items:
    """A bulleted or numbered list; each item a run of spans."""

    items: tuple[tuple[Span, ...], ...]
    numbered: bool = False


@dataclass(frozen=True, slots=True)
class Grid:
    """A table: header cells and rows of cells, each cell a run of spans."""

    header: tuple[str, ...]
    rows: tuple[tuple[tuple[Span, ...], ...], ...]


@dataclass(frozen=True, slots=True)
class Diagram:
    """The chain as a Mermaid diagram (for Markdown) and as inline SVG (for HTML, shown without a script)."""

    text: str
    svg: str = ""


Block = Heading | Para | Notice | Items | Grid | Diagram
