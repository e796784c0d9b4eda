"""The menu after the result: a list of (label, action) entries.

An action takes the consultation and the recommendation shown, does its work,
and says what comes next: stay in the menu, re-run the engine (answers
changed), or quit. A new entry is one line in ``RESULT_MENU``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from advisor import brief
from advisor.ask.prompts import Option
from advisor.ask.questions import BACK
from advisor.ask.session import case_file_name, write_atomically
from advisor.brief import About
from advisor.engine import Recommendation
from advisor.explain import how, sensitivity, why_not
from advisor.outcomes import OUTCOME_IDS, OUTCOMES
from advisor.render.explain import how_tree, sensitivity_view, why_not_view
from advisor.render.terminal import rule_detail, trace_table

if TYPE_CHECKING:
    from advisor.ask.flow import Consultation

Next = Literal["stay", "rerun", "quit"]
Action = Callable[["Consultation", Recommendation], Next]
MenuEntry = tuple[str, Action]


def explain_rule(c: Consultation, rec: Recommendation) -> Next:
    """Let the user pick one of the rules that fired and show it in full."""
    fired = list(dict.fromkeys(f.rule for f in rec.trace))
    width = max(30, c.console.width - 6)
    entries: list[Option | None] = [
        Option(r, f"{r}  {c.kb.rule(r).title}"[:width], r, n) for n, r in enumerate(fired, start=1)
    ]
    entries += [None, Option(BACK, "cancel", "?back")]
    picked = c.prompter.select("Which rule?", entries, rec.deciding_rule, "Type a rule id or a number.")
    if picked != BACK:
        c.show(rule_detail(c.kb.rule(picked), c.kb))
    return "stay"


def show_trace(c: Consultation, rec: Recommendation) -> Next:
    """Show every firing, in order."""
    c.show(trace_table(rec.trace, c.kb))
    return "stay"


def change_answer(c: Consultation, rec: Recommendation) -> Next:
    """Change an answer, ask whatever became relevant, confirm the summary, and re-run."""
    c.edit()
    c.interview()
    c.review()
    return "rerun"


def save_case_file(c: Consultation, rec: Recommendation) -> Next:
    """Save the answers as a case file that advisor advise and advisor evaluate accept."""
    c.tell_gaps()
    path = c.ask_path()
    if path is None:
        return "stay"
    return "rerun" if c.save_case(path) else "stay"


def how_reached(c: Consultation, rec: Recommendation) -> Next:
    """Show the chain from the answers through the signals to the outcome, in plain language."""
    c.show(how_tree(how(rec)))
    return "stay"


def why_not_other(c: Consultation, rec: Recommendation) -> Next:
    """Let the user pick another outcome and show the smallest change of answers that gives it."""
    others = [o for o in OUTCOME_IDS if o != rec.outcome]
    entries: list[Option | None] = [
        Option(o, f"{o:<14} {OUTCOMES[o].label}", o, n) for n, o in enumerate(others, start=1)
    ]
    entries += [None, Option(BACK, "cancel", "?back")]
    picked = c.prompter.select("Why not which outcome?", entries, None)
    if picked != BACK:
        c.show(why_not_view(why_not(rec, picked, engine=c.engine)))
    return "stay"


def robustness(c: Consultation, rec: Recommendation) -> Next:
    """Show which single changes of an answer would change the recommendation."""
    c.show(sensitivity_view(sensitivity(rec, engine=c.engine)))
    return "stay"


def write_brief(c: Consultation, rec: Recommendation) -> Next:
    """Write a brief to hand in: Markdown, or one HTML file if the name ends in .html."""
    default = str(Path(case_file_name(c.session.parties, c.session.about)).with_suffix(".md"))
    path = c.ask_path("Write the brief as (.md or .html)", default)
    if path is not None:
        about = About(title=" / ".join(c.session.parties) or None, parties=tuple(c.session.parties))
        render = brief.html if path.suffix.lower() in (".html", ".htm") else brief.markdown
        write_atomically(path, render(rec, engine=c.engine, about=about))
        c.say(f"Brief written to {path}")
    return "stay"


def quit_consultation(c: Consultation, rec: Recommendation) -> Next:
    """End the consultation."""
    return "quit"


RESULT_MENU: list[MenuEntry] = [
    ("Explain a rule that fired", explain_rule),
    ("Show the full trace", show_trace),
    ("How was this reached? (in plain language)", how_reached),
    ("Why not another outcome?", why_not_other),
    ("How robust is it? (single changes that flip it)", robustness),
    ("Write a brief to hand in (Markdown or HTML)", write_brief),
    ("Change an answer and re-run", change_answer),
    ("Save the answers as a case file", save_case_file),
    ("Quit", quit_consultation),
]
