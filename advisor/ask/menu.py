"""The menu after the result: a list of (label, action) entries.

An action takes the consultation and the recommendation shown, does its work,
and says what comes next: stay in the menu, re-run the engine (answers
changed), or quit. A new entry is one line in ``RESULT_MENU``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from advisor import brief
from advisor.ask.casefile import case_file_name
from advisor.ask.consulting import Consulting
from advisor.ask.prompts import Option
from advisor.ask.questions import BACK
from advisor.ask.saving import ask_path, save_case, tell_gaps
from advisor.brief import About
from advisor.engine import Recommendation
from advisor.explain import how, sensitivity_over_readings, why_not
from advisor.outcomes import OUTCOME_IDS, OUTCOMES
from advisor.output import write_atomically
from advisor.render.explain import how_tree, sensitivity_view, why_not_view
from advisor.render.terminal import rule_detail, trace_table

Next = Literal["stay", "rerun", "quit"]
Action = Callable[[Consulting, Recommendation], Next]
MenuEntry = tuple[str, Action]


def explain_rule(c: Consulting, rec: Recommendation) -> Next:
    """Let the user pick one of the rules that fired and show it in full."""
    fired = list(dict.fromkeys(f.rule for f in rec.trace))
    width = max(30, c.console.width - 6)
    entries: list[Option | None] = [
        Option(r, clipped(f"{r}  {c.kb.rule(r).title}", width), r, n) for n, r in enumerate(fired, start=1)
    ]
    entries += [None, Option(BACK, "cancel", "?back")]
    picked = c.prompter.select("Which rule?", entries, rec.deciding_rule, "Type a rule id or a number.")
    if picked != BACK:
        c.show(rule_detail(c.kb.rule(picked), c.kb))
    return "stay"


def clipped(text: str, width: int) -> str:
    """Return text cut to ``width`` characters, marked with an ellipsis where it was cut (one line a rule:
    a title cut short without one would read as a whole, different sentence)."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def show_trace(c: Consulting, rec: Recommendation) -> Next:
    """Show every firing, in order."""
    c.show(trace_table(rec.trace, c.kb))
    return "stay"


def change_answer(c: Consulting, rec: Recommendation) -> Next:
    """Change an answer, ask whatever became relevant, confirm the summary, and re-run."""
    c.edit()
    c.interview()
    c.review()
    return "rerun"


def save_case_file(c: Consulting, rec: Recommendation) -> Next:
    """Save the answers as a case file that advisor advise and advisor evaluate accept."""
    tell_gaps(c)
    path = ask_path(c)
    if path is None:
        return "stay"
    return "rerun" if save_case(c, path) else "stay"


def how_reached(c: Consulting, rec: Recommendation) -> Next:
    """Show the chain from the answers through the signals to the outcome, in plain language."""
    c.show(how_tree(how(rec)))
    return "stay"


def why_not_other(c: Consulting, rec: Recommendation) -> Next:
    """Let the user pick another outcome and show the smallest change of answers that gives it."""
    others = [o for o in OUTCOME_IDS if o != rec.outcome]
    entries: list[Option | None] = [
        Option(o, f"{o:<14} {OUTCOMES[o].label}", o, n) for n, o in enumerate(others, start=1)
    ]
    entries += [None, Option(BACK, "cancel", "?back")]
    picked = c.prompter.select("Why not which outcome?", entries, None)
    if picked != BACK:
        c.show(why_not_view(why_not(rec, picked, engine=c.engine), rec))
    return "stay"


def robustness(c: Consulting, rec: Recommendation) -> Next:
    """Show which single changes of an answer would change the recommendation; with a contested
    answer, each change is judged over the readings, and a contested answer is said as its values."""
    c.show(sensitivity_view(sensitivity_over_readings(rec, c.engine)))
    return "stay"


def write_brief(c: Consulting, rec: Recommendation) -> Next:
    """Write a brief to hand in: Markdown, or one HTML file if the name ends in .html."""
    default = str(Path(case_file_name(c.session.parties, c.session.about)).with_suffix(".md"))
    path = ask_path(c, "Write the brief as (.md or .html)", default)
    if path is not None:
        about = About(title=" / ".join(c.session.parties) or None, parties=tuple(c.session.parties))
        render = brief.html if path.suffix.lower() in (".html", ".htm") else brief.markdown
        write_atomically(path, render(rec, engine=c.engine, about=about))
        c.say(f"Brief written to {path}")
    return "stay"


def quit_consultation(c: Consulting, rec: Recommendation) -> Next:
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
