"""The questions: their order, their menus, and the answers to "why?" and "help".

The text of every question, value and help line comes from the Facts model
(``advisor.facts.scales``); "why is this asked" is rendered from the rules of the
knowledge base. Only the order of the questions is set here.
"""

from __future__ import annotations

import textwrap
from enum import Enum

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from advisor.ask.prompts import Entries, Option
from advisor.facts import FACT_NAMES, FactValue, fact_label, scales, show
from advisor.relevance import Relevance
from advisor.rulebase import KnowledgeBase

ORDER: tuple[str, ...] = (
    # What the tie is for, and who must deliver it: a transnational problem that needs
    # non-state actors settles a coalition at once, so these come first.
    "issue_scope",
    "nonstate_actors_essential",
    # The security picture: the alliance question.
    "threat_level",
    "shared_adversary",
    "entrapment_risk",
    "power_asymmetry",
    "ratification_cost",
    # The relationship as it stands and its substance: the partnership ladder.
    "existing_ties",
    "economic_interdependence",
    "governance_alignment",
    "value_alignment",
    # Hedging, which can hold either side back from any exclusive tie.
    "autonomy_tradition",
    "rival_ties",
)
assert sorted(ORDER) == sorted(FACT_NAMES), "ORDER must name every fact once"

WHY, HELP, UNKNOWN, BACK = ":why", ":help", ":unknown", ":back"


class Step(Enum):
    """A reply to a question that is not a value."""

    UNKNOWN = "unknown"
    BACK = "back"


def options(fact: str, width: int, *, unknown: bool = True, back: str | None = "back") -> Entries:
    """Return a question's choices: each value (name, number, meaning), then the commands."""
    scale = scales()[fact]
    shown = [scale.show(v) for v in scale.values]
    names = [answer_name(fact, s) for s in shown]
    pad = max(len(n) for n in names) + 2
    entries: list[Option | None] = []
    for number, (value, name) in enumerate(zip(shown, names, strict=True), start=1):
        lines = textwrap.wrap(scale.meanings[value], max(20, width - pad - 5))
        title = f"{name:<{pad}}" + f"\n{'':<{pad}}".join(lines)
        aliases = (value,) if name != value else ()
        entries.append(Option(value, title, name, number, aliases))
    entries += [
        None,
        Option(WHY, "why this is asked", "?why"),
        Option(HELP, "the scale explained", "?help"),
    ]
    if unknown:
        entries.append(Option(UNKNOWN, "I can't tell", "?unknown", aliases=("unknown",)))
    if back:
        entries.append(Option(BACK, back, "?back"))
    return entries


def answer_name(fact: str, shown: str) -> str:
    """Return the name a student types and reads for a value: yes/no for a yes-or-no question."""
    if scales()[fact].values == (False, True):
        return "yes" if shown == "true" else "no"
    return shown


def parse(fact: str, shown: str) -> FactValue:
    """Return the fact value a menu entry stands for."""
    return next(v for v in scales()[fact].values if scales()[fact].show(v) == shown)


def offered(fact: str, value: FactValue | None, unknown: bool) -> str | None:
    """Return the answer to pre-type: the current or pre-filled answer; nothing for a new question."""
    if unknown:
        return UNKNOWN
    if value is not None:
        return scales()[fact].show(value)
    return None


def said(fact: str, value: FactValue | None) -> str:
    """Return an answer as a student reads it: the value's name (yes/no for a yes-or-no question)."""
    return "unknown" if value is None else answer_name(fact, scales()[fact].show(value))


def echo(fact: str, value: FactValue | None) -> Text:
    """Return the line that records an answer: the question in short, the answer and what it means."""
    text = Text("✓ ", style="green")
    text.append(fact_label(fact), style="bold")
    if value is None:
        text.append(": unknown (the advisor will reason without it)")
    else:
        shown = scales()[fact].show(value)
        text.append(f": {said(fact, value)}").append(f" — {scales()[fact].meanings[shown]}", style="dim")
    return text.append(f"  [{fact}: {show(fact, value)}]", style="dim")


def scale_help(fact: str) -> RenderableType:
    """Return the help on a fact's scale: the question, the hint, and every value's meaning."""
    scale = scales()[fact]
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for value in scale.values:
        shown = scale.show(value)
        table.add_row(shown, scale.meanings[shown])
    order = "An ordered scale, from first to last." if scale.ordered else "The values are not ordered."
    return Group(
        Text.assemble((f"Help: {fact}\n", "bold"), scale.question, "\n", (scale.help, "italic")),
        table,
        Text(
            order + " If you cannot tell, answer unknown: the advisor reasons without this fact "
            "and shows what another answer would change.",
            style="dim",
        ),
    )


def why_asked(fact: str, kb: KnowledgeBase, rel: Relevance) -> RenderableType:
    """Return why a question is asked: the rules that test the fact, and what uses their conclusions."""
    tree = Tree(Text(f"Why this is asked: {fact}", style="bold"))
    for rule in kb.users_of_fact(fact):
        branch = tree.add(Text.assemble((f"{rule.id} ", "bold"), rule.title))
        branch.add(Text.assemble(("IF ", "bold"), " AND ".join(rule.premises())))
        branch.add(Text.assemble(("THEN ", "bold"), rule.conclusion()))
        if rule.declares:
            users = kb.users_of_signal(rule.declares)
            used = "; ".join(f"{u.id} → {u.conclusion(brief=True)}" for u in users)
            branch.add(Text.assemble((f"{rule.declares} is used by: ", "bold"), used))
        branch.add(Text(rule.rationale, style="italic"))
    now = Text("With your answers so far: ", style="bold")
    status = rel.status(fact)
    if status == "decisive":
        now.append("this answer can still change the recommendation; it bears on ")
        now.append(", ".join(f"{r} ({kb.rule(r).conclusion(brief=True)})" for r in rel.decisive[fact]) + ".")
    else:
        now.append(
            f"this answer can no longer change the recommendation: {rel.reason(fact, kb, detail=True)}."
        )
    return Group(tree, now)
