"""Rendering recommendations and rules for the terminal with rich.

Everything that comes from a file or a user -- case ids, titles, party names --
is put into ``Text`` objects, never into markup strings, so it is shown as typed,
with its control characters (newlines too) visibly escaped (``advisor.output``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from advisor.engine import Firing, Recommendation
from advisor.explain import ChainStep, How
from advisor.facts import FactValue, fact_label, scales
from advisor.outcomes import OUTCOMES
from advisor.output import install, printable
from advisor.precedents import Precedents
from advisor.render.precedents import precedents_table
from advisor.rulebase import KnowledgeBase, Rule

OUTCOME_STYLE = {
    "alliance": "bold red",
    "partnership": "bold cyan",
    "strategic": "bold blue",
    "comprehensive": "bold magenta",
    "coordination": "bold yellow",
    "coalition": "bold green",
}


def heading(case: str | None, title: str | None = None, parties: Iterable[str] = ()) -> Text:
    """Return a one-line heading for a case, built from plain (unescaped) user text; cut with an ellipsis."""
    install()
    text = Text(overflow="ellipsis")
    if case:
        text.append(printable(case), style="bold")
    names = " / ".join(parties)
    for part in (title, names):
        if part:
            text.append(" · " if len(text) else "")
            text.append(printable(part))
    return text


def recommendation_panel(rec: Recommendation, *, title: Text | None = None) -> Panel:
    """Return the outcome in a panel: label, meaning, how clear it is, and its strongest reason."""
    rule = rec.kb.rule(rec.deciding_rule)
    body = Text()
    body.append(rec.label, style=OUTCOME_STYLE[rec.outcome])
    body.append(f"  ({rec.outcome})\n", style="dim")
    body.append(OUTCOMES[rec.outcome].summary + "\n\n")
    body.append("Confidence: ", style="dim")
    body.append(confidence_text(rec), style="bold")
    body.append("\n")
    if rec.contested:
        body.append("Readings: ", style="dim")
        body.append(rec.readings_sentence(), style="bold" if rec.robust else "bold yellow")
        body.append("\n")
    body.append("Strongest reason: ", style="dim")
    body.append(f"{rule.id}", style="bold")
    body.append(f" {rule.title}\n")
    body.append(rule.rationale, style="italic")
    if rec.unknown:
        body.append("\n\nReasoned without: ", style="dim")
        body.append(", ".join(fact_label(f) for f in rec.unknown))  # as the questions name them
    return Panel(body, title=title, title_align="left", expand=True)


def reasons(rec: Recommendation, explained: How) -> RenderableType:
    """Return the signals for and against the outcome, the evidence weighed on each outcome, what was
    outweighed (from ``explained``, how the recommendation was reached), and the cautions."""
    kb = rec.kb
    parts: list[RenderableType] = []
    if rec.signals_for:
        parts.append(_signal_list("Why", rec.signals_for, kb, "green"))
    if rec.signals_against:
        parts.append(_signal_list("Pointing elsewhere", rec.signals_against, kb, "yellow"))
    parts.append(evidence_table(explained))
    outweighed = explained.counterweights()
    if outweighed:
        table = Table.grid(padding=(0, 1))
        table.title, table.title_justify, table.title_style = "What was outweighed", "left", "bold"
        table.add_column(width=3, justify="right")
        table.add_column()
        for line in outweighed:
            table.add_row(Text("-", style="yellow"), Text(line[0].upper() + line[1:]))
        parts.append(table)
    if rec.cautions:
        table = Table.grid(padding=(0, 1))
        table.title, table.title_justify, table.title_style = "Cautions", "left", "bold"
        table.add_column(width=3, justify="right")
        table.add_column()
        for c in rec.cautions:
            title = Text.assemble((f"{c.rule} {kb.rule(c.rule).title}: ", "bold"), c.text)
            table.add_row(Text("⚠", style="yellow"), title)
        parts.append(table)
    return Group(*parts)


def confidence_text(rec: Recommendation) -> str:
    """Say how clear the advice is, in words and numbers."""
    return rec.confidence_sentence()


def evidence_table(explained: How) -> Table:
    """Return each outcome's combined belief with the evidence for and against it, best supported first."""
    table = Table(title="The evidence weighed (certainty factors)", title_justify="left", expand=False)
    table.add_column("outcome")
    table.add_column("belief", justify="right")
    table.add_column("for")
    table.add_column("against")
    for ledger in explained.ledgers:
        style = OUTCOME_STYLE[ledger.outcome] if ledger.outcome == explained.outcome else ""
        pro = ", ".join(f"{w.rule} {w.cf:+.2f}" for w in ledger.pro)
        con = ", ".join(f"{w.rule} {w.cf:+.2f}" for w in ledger.con)
        table.add_row(Text(ledger.label, style=style), f"{ledger.belief:+.2f}", pro or "—", con or "—")
    return table


def _signal_list(title: str, signals: Iterable[str], kb: KnowledgeBase, style: str) -> Table:
    table = Table.grid(padding=(0, 1))
    table.title, table.title_justify, table.title_style = title, "left", "bold"
    table.add_column(width=3, justify="right")
    table.add_column()
    for signal in signals:
        table.add_row(Text("•", style=style), Text.assemble((signal, "bold"), f" — {kb.signals[signal]}"))
    return table


def chain_tree(explained: How) -> Tree:
    """Return the inference chain as a tree: outcome ← deciding rule ← signals ← the rules declaring them."""
    outcome = Text.assemble(("Recommendation: ", "bold"), (explained.label, OUTCOME_STYLE[explained.outcome]))
    root = Tree(outcome)
    _grow(root, explained.root)
    return root


def _grow(node: Tree, step: ChainStep) -> None:
    label = Text.assemble((f"{step.rule} ", "bold"), step.title)
    if step.facts:
        label.append("  [" + ", ".join(step.facts) + "]", style="dim")
    branch = node.add(label)
    for reason in step.reasons:
        child = branch.add(Text.assemble(("signal ", "dim"), (reason.signal, "bold green")))
        if reason.step is not None:
            _grow(child, reason.step)


def _facts_text(matched: Mapping[str, FactValue]) -> str:
    table = scales()
    return ", ".join(f"{k}={table[k].show(v)}" for k, v in matched.items())


def trace_table(trace: Iterable[Firing], kb: KnowledgeBase) -> RenderableType:
    """Return every firing in order: step, rule, what it matched, what it declared.

    A table from 80 columns on; below, a list (one firing a few lines) that cuts nothing.
    """
    return _Trace(tuple(trace))


class _Trace:
    """The trace, laid out for the width it is shown in."""

    TITLE = "Trace: every rule that fired, in order"

    def __init__(self, trace: tuple[Firing, ...]):
        self.trace = trace

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        rows = [
            (str(f.step), f.rule, ", ".join(filter(None, [_facts_text(f.matched), *f.signals])), f.declared)
            for f in self.trace
        ]
        if options.max_width < 80:
            text = Text(self.TITLE, style="bold")
            for step, rule, matched, declared in rows:
                text.append(f"\n{step:>3} {rule}", style="bold")
                text.append(f"\n    matched: {matched}\n    declared: {', '.join(declared)}")
            yield text
            return
        table = Table(title=self.TITLE, title_justify="left", expand=False)
        table.add_column("#", justify="right")
        table.add_column("rule", no_wrap=True)
        table.add_column("matched", overflow="fold")
        table.add_column("declared", overflow="fold")
        for step, rule, matched, declared in rows:
            table.add_row(step, rule, Text(matched), Text(", ".join(declared)))
        yield table


def advice(
    rec: Recommendation,
    explained: How,
    *,
    title: Text | None = None,
    full_trace: bool = False,
    trace_hint: str = "--trace shows them all",
    precedents: Precedents | None = None,
) -> Group:
    """Return the whole rendering of a recommendation and of how it was reached (``explained``): panel,
    reasons, chain, the closest precedents (when given), optionally the trace."""
    parts: list[RenderableType] = [
        recommendation_panel(rec, title=title),
        reasons(rec, explained),
        Text("How the recommendation was reached", style="bold"),
        chain_tree(explained),
    ]
    if precedents is not None and len(precedents):
        parts.append(precedents_table(precedents, outcome=rec.outcome))
    if full_trace:
        parts.append(trace_table(rec.trace, rec.kb))
    else:
        parts.append(Text(f"({len(rec.trace)} firings; {trace_hint})", style="dim"))
    return Group(*parts)


def rule_table(rules: Iterable[Rule]) -> Table:
    """Return a table of rules: id, kind, title, conclusion -- each a ``Text``, never markup (the
    titles come from rule files, which ``--rules`` takes from anyone)."""
    install()
    table = Table(show_lines=False, expand=False)
    table.add_column("id", style="bold", no_wrap=True)
    table.add_column("kind")
    table.add_column("title", overflow="fold")  # a word too long for the column folds, never cut off
    table.add_column("concludes", overflow="fold")
    for rule in rules:
        cells = (rule.id, rule.kind, rule.title, rule.conclusion(brief=True))
        table.add_row(*(Text(printable(cell)) for cell in cells))
    return table


def rule_detail(rule: Rule, kb: KnowledgeBase) -> RuleCard:
    """Return one rule in near-English: IF premises THEN conclusion, rationale, source."""
    text = Text()
    text.append("IF   ", style="bold")
    premises = rule.premises() or ["(always)"]
    text.append(premises[0] + "\n")
    for premise in premises[1:]:
        text.append("AND  ", style="bold")
        text.append(premise + "\n")
    text.append("THEN ", style="bold")
    text.append(rule.conclusion() + "\n")
    if rule.declares:
        text.append(f"     ({rule.declares}: {kb.signals[rule.declares]})\n", style="dim")
    text.append("\nWhy: ", style="bold")
    text.append(rule.rationale + "\n")
    text.append("\nSource: ", style="bold")
    text.append(kb.describe_source(rule) + "\n")
    text.append(f"  “{rule.source.passage}”\n", style="italic")
    used_by = [r.id for r in kb.users_of_signal(rule.declares)] if rule.declares else []
    if used_by:
        text.append("\nUsed by: ", style="bold")
        text.append(", ".join(used_by) + "\n")
    text.append(f"\nDefined at {rule.where}", style="dim")
    return RuleCard(rule.id, rule.title, text)


class RuleCard:
    """A rule in a panel: its id and title in the border when they fit the width, else the id there
    and the title, whole, on the first lines inside (a border would cut it off)."""

    def __init__(self, rule_id: str, title: str, body: Text):
        self.rule_id, self.title, self.body = rule_id, printable(title), body

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        heading = Text(f"{self.rule_id} · {self.title}")
        if heading.cell_len + 6 <= options.max_width:  # "╭─ " and " ─╮" around it
            yield Panel(self.body, title=heading, title_align="left")
        else:
            body = Text.assemble((self.title, "bold"), "\n\n", self.body)
            yield Panel(body, title=Text(self.rule_id), title_align="left")
