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

from advisor.ask.prompts import SEPARATED, SEVERAL, Entries, Option
from advisor.engine import Relevance
from advisor.facts import ASKED_FACTS, Answer, fact_label, scales, show
from advisor.optional import applies
from advisor.outcomes import label
from advisor.rulebase import KnowledgeBase, Rule

ORDER: tuple[str, ...] = (
    # What the tie is for, and who must deliver it: a transnational problem that needs
    # non-state actors settles a coalition at once, so these come first.
    "issue_scope",
    "nonstate_actors_essential",
    # Optional, and for a grouping only: bound to one another open-endedly, or around a task?
    # It can keep a grouping from being a coalition, so it comes with the coalition's questions.
    "standing_commitment",
    # Also for a grouping only: a standing forum on the members' relations as a whole, or a task?
    "standing_forum",
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
assert sorted(ORDER) == sorted(ASKED_FACTS), "ORDER must name every fact asked once"


def shown_questions(grouping: bool) -> tuple[str, ...]:
    """Return the questions a summary shows, numbered in this order: those that apply (none for a pair
    that only a grouping answers)."""
    return tuple(f for f in ORDER if applies(f, {"grouping": grouping}))


WHY, HELP, UNKNOWN, BACK = ":why", ":help", ":unknown", ":back"


class Step(Enum):
    """A reply to a question that is not a value."""

    UNKNOWN = "unknown"
    BACK = "back"


def options(
    fact: str, width: int, *, unknown: bool = True, back: str | None = "the previous question"
) -> Entries:
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
        entries.append(Option(value, title, name, number, aliases, combines=True))
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


def parse(fact: str, shown: str) -> Answer:
    """Return the fact value a menu entry stands for; values picked together, as a tuple in scale order."""
    values = [v for v in scales()[fact].values if scales()[fact].show(v) in shown.split(SEVERAL)]
    return tuple(values) if len(values) > 1 else values[0]


def offered(fact: str, value: Answer | None, unknown: bool) -> str | None:
    """Return the answer to pre-type: the current or pre-filled answer; nothing for a new question."""
    if unknown:
        return UNKNOWN
    if isinstance(value, tuple):
        return SEVERAL.join(scales()[fact].show(v) for v in value)
    if value is not None:
        return scales()[fact].show(value)
    return None


def said(fact: str, value: Answer | None) -> str:
    """Return an answer as a student reads it: the value's name (yes/no for a yes-or-no question);
    several plausible values as "high or existential"."""
    if isinstance(value, tuple):
        return " or ".join(said(fact, v) for v in value)
    return "unknown" if value is None else answer_name(fact, scales()[fact].show(value))


def echo(fact: str, value: Answer | None) -> Text:
    """Return the line that records an answer: the question in short, the answer and what it means."""
    text = Text("✓ ", style="green")
    text.append(fact_label(fact), style="bold")
    if value is None:
        text.append(": unknown (the advisor will reason over every value)")
    elif isinstance(value, tuple):
        text.append(f": {said(fact, value)} (the advisor will reason over each)")
        return text.append(f"  [{fact}: [{', '.join(show(fact, v) for v in value)}]]", style="dim")
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
    names = [answer_name(fact, scale.show(value)) for value in scale.values]
    for value, name in zip(scale.values, names, strict=True):
        table.add_row(name, scale.meanings[scale.show(value)])
    order = "An ordered scale, from first to last." if scale.ordered else "The values are not ordered."
    return Group(
        Text.assemble(("Help: ", "bold"), (scale.question, "bold"), (f"  [{fact}]\n", "dim")),
        Text(scale.help, style="italic"),
        table,
        Text(
            order + " If you cannot tell, answer ?unknown: the advisor reasons without this fact "
            "and shows what another answer would change. Unsure between some values? Type them all, "
            f"{SEPARATED} ({' or '.join(names[-2:])}): the advisor reasons over each.",
            style="dim",
        ),
    )


def why_asked(fact: str, kb: KnowledgeBase, rel: Relevance) -> RenderableType:
    """Return why a question is asked, in words: what each rule testing it concludes, and what that serves.

    Rule ids are shown dimmed, after the words; nothing here depends on how rules are weighed.
    """
    header = Text.assemble(("Why this is asked: ", "bold"), (scales()[fact].question, "bold"))
    tree = Tree(header)
    for rule in kb.users_of_fact(fact):
        branch = tree.add(Text.assemble((rule.title, "bold"), (f"  [{rule.id}]", "dim")))
        branch.add(Text.assemble(("if ", "bold"), " and ".join(rule.premises())))
        branch.add(Text.assemble(("then ", "bold"), _concludes(rule, kb)))
        served = _outcomes_served(rule, kb)
        if served and not _weighs(rule):
            counts = branch.add(Text("which counts", style="bold"))
            for side in served:  # one line each: several lists of long outcome names are not run together
                counts.add(side)
        branch.add(Text(rule.rationale, style="italic"))
    now = Text("With your answers so far, ", style="bold")
    if rel.status(fact) == "decisive":
        now.append("this answer can still change the recommendation.")
    else:
        now.append("this answer can no longer change the recommendation")
        now.append(f" ({rel.reason(fact, kb, detail=True)}).", style="dim")
    return Group(tree, now)


def _concludes(rule: Rule, kb: KnowledgeBase) -> str:
    """Say what a rule concludes in words: a signal by its description, evidence by its outcome's name."""
    if rule.declares:
        return kb.signals.get(rule.declares, rule.declares.replace("_", " "))
    weighs = _weighs(rule)
    if weighs:
        return f"it counts {weighs}"
    if rule.kind == "caution":
        return "a caution is shown with the recommendation"
    return rule.conclusion()


def _weighs(rule: Rule) -> str | None:
    """Say which outcomes an evidence rule counts for or against ("for Alliance"), or None for others."""
    if rule.kind != "evidence" or not rule.outcomes:
        return None
    side = "against" if (rule.cf or 0) < 0 else "for"
    if len(rule.outcomes) == 1:
        return f"{side} {label(rule.outcomes[0])}"
    names = [f"“{label(o)}”" for o in rule.outcomes]  # quoted: the names run into each other otherwise
    return f"{side} each of {', '.join(names[:-1])} and {names[-1]}"


def _outcomes_served(rule: Rule, kb: KnowledgeBase) -> list[str]:
    """Return what a rule's conclusion counts for or against ("for Alliance"), through its signals."""
    found: list[str] = []
    seen: set[str] = set()
    todo = [rule]
    while todo:
        current = todo.pop()
        weighs = _weighs(current)
        if weighs and weighs not in found:
            found.append(weighs)
        if current.declares and current.declares not in seen:
            seen.add(current.declares)
            signal = current.declares  # followed only where it must be present, not where it blocks
            todo.extend(u for u in kb.users_of_signal(signal) if signal in u.signals)
    return found
