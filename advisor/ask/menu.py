"""The menu after the result: a list of (label, action) entries.

An action takes the consultation and the recommendation shown, does its work,
and says what comes next: stay in the menu, re-run the engine (answers
changed), or quit. A new entry is one line in ``RESULT_MENU``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from advisor.ask.prompts import Option
from advisor.ask.questions import BACK
from advisor.recommendation import Recommendation
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
    entries: list[Option | None] = [Option(r, f"{r}  {c.kb.rule(r).title}"[:width]) for r in fired]
    entries += [None, Option(BACK, "← cancel (b)", "b")]
    picked = c.prompter.select("Which rule?", entries, rec.deciding_rule, "(↑↓ Enter)")
    if picked != BACK:
        c.console.print(rule_detail(c.kb.rule(picked), c.kb))
    return "stay"


def show_trace(c: Consultation, rec: Recommendation) -> Next:
    """Show every firing, in order."""
    c.console.print(trace_table(rec.trace, c.kb))
    return "stay"


def change_answer(c: Consultation, rec: Recommendation) -> Next:
    """Change an answer, ask whatever became relevant, confirm the summary, and re-run."""
    c.edit()
    c.interview()
    c.review()
    return "rerun"


def save_case_file(c: Consultation, rec: Recommendation) -> Next:
    """Save the answers as a case file that advisor advise and advisor evaluate accept."""
    path = c.ask_path()
    if path is None:
        return "stay"
    return "rerun" if c.save_case(path) else "stay"


def quit_consultation(c: Consultation, rec: Recommendation) -> Next:
    """End the consultation."""
    return "quit"


RESULT_MENU: list[MenuEntry] = [
    ("Explain a rule that fired", explain_rule),
    ("Show the full trace", show_trace),
    ("Change an answer and re-run", change_answer),
    ("Save the answers as a case file", save_case_file),
    ("Quit", quit_consultation),
]
