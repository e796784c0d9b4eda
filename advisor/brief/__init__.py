"""The brief a student can hand in: the dyad, its facts, the recommendation and its reasoning,
cautions, why not the neighbouring outcomes, sensitivity, precedents, sources, and the chain as a diagram.

A brief is made in three steps, one module each: the analysis (``analysis.findings``: the only step
that runs the engine), the blocks (``build.build``: headings, paragraphs of styled spans, tables,
lists, a diagram), and a writer (``markdown_text.to_markdown``, or ``html_page.to_html``: one
self-contained page); ``brief``, ``markdown`` and ``html`` below run the three in turn. Every
piece of text is escaped by the writer for its target, so a title holding ``<script>``, ``|`` or
backticks is shown as typed.

Given ``changes`` (as ``advisor explain --set`` takes them), the brief is a what-if (``what_if``): its
title and a notice at the top say so and set the case as given against the changed case, which the
rest of the brief is about.
"""

from __future__ import annotations

from collections.abc import Mapping

from advisor.brief.analysis import Findings, findings
from advisor.brief.blocks import Block, Diagram, Grid, Heading, Items, Para, Span
from advisor.brief.build import About, build
from advisor.brief.html_page import to_html
from advisor.brief.markdown_text import md_text, precedents_markdown, to_markdown
from advisor.brief.mermaid import chain_graph, mermaid, mermaid_label
from advisor.cases import Case
from advisor.engine import Engine
from advisor.explain import Subject
from advisor.explain.subject import Setting

Changes = Mapping[str, Setting | None] | None
"""A what-if's changes: fact -> value, a tuple of values read each way, or None (unknown)."""


def brief(
    subject: Subject, *, engine: Engine | None = None, about: About | None = None, changes: Changes = None
) -> list[Block]:
    """Return the brief of a case (or facts, or a Recommendation) as a list of blocks; ``about`` gives
    the title, parties and year when the subject is not a Case (a guided session, say); ``changes``
    make it a what-if brief of the case with those facts changed. Raise ValueError for an invalid change."""
    found = findings(subject, engine=engine, changes=changes)
    return build(found, About.of(subject) if isinstance(subject, Case) else about)


def markdown(
    subject: Subject, *, engine: Engine | None = None, about: About | None = None, changes: Changes = None
) -> str:
    """Return the brief (a what-if brief, given ``changes``) as GitHub-flavoured Markdown."""
    return to_markdown(brief(subject, engine=engine, about=about, changes=changes))


def html(
    subject: Subject, *, engine: Engine | None = None, about: About | None = None, changes: Changes = None
) -> str:
    """Return the brief (a what-if brief, given ``changes``) as one self-contained HTML page (inline CSS,
    no scripts, no external resources)."""
    return to_html(brief(subject, engine=engine, about=about, changes=changes))


__all__ = [
    "About",
    "Block",
    "Diagram",
    "Findings",
    "Grid",
    "Heading",
    "Items",
    "Para",
    "Span",
    "brief",
    "build",
    "chain_graph",
    "findings",
    "html",
    "markdown",
    "md_text",
    "mermaid",
    "mermaid_label",
    "precedents_markdown",
    "to_html",
    "to_markdown",
]
