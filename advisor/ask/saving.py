"""Saving a consultation's answers: as a case file (completing the facts not asked), or a resume file.

These steps work on any ``Consulting`` (see ``advisor.ask.consulting``): the
consultation calls them when it ends, and so does the result menu.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from advisor.ask.casefile import advice_for, case_file_name, write_case
from advisor.ask.consulting import Consulting
from advisor.ask.prompts import Option
from advisor.ask.questions import BACK, ORDER
from advisor.ask.resume import resume_path_for, save_resume
from advisor.facts import FACT_NAMES, fact_label


def tell_gaps(c: Consulting) -> None:
    """Say, before a file name is asked, how the answers that are not known will be written."""
    unknown = [f for f in ORDER if f in c.session.unknown]
    if unknown:
        names = ", ".join(fact_label(f) for f in unknown)
        c.say(f"Answered unknown, so written as unknown in the case file: {names}.")
    several = [f for f in ORDER if f in c.session.contested]
    if several:
        names = ", ".join(fact_label(f) for f in several)
        c.say(f"Answered with several values, so written as their list in the case file: {names}.")
    if c.session.not_asked():
        c.say(f"{len(c.session.not_asked())} question(s) were not asked; you can answer them next.")


def save_case(c: Consulting, path: Path) -> bool:
    """Write the answers as a case file, completing the facts not asked; return if answers changed."""
    lacking = [f for f in ORDER if f in c.session.not_asked()]
    choice = complete(c, lacking, path) if lacking else "answered"
    if choice is None:
        return False
    rec = advice_for(c.session, c.engine)
    note = f"Answers from an advisor ask consultation; it recommended {rec.label}."
    also_unknown = lacking if choice == "unknown" else []
    try:
        write_case(c.session, path, note, also_unknown=also_unknown)
    except OSError as exc:
        c.say(f"Cannot write {path}: {exc.strerror or exc}", style="bold red")
        return bool(lacking) and choice == "answered"
    unknown = [f for f in FACT_NAMES if f in c.session.unknown or f in also_unknown]
    more = f" ({len(unknown)} fact(s) written as unknown)" if unknown else ""
    c.say(
        f"Saved the case file {path}{more}.\nCheck it with: advisor advise {shlex.quote(str(path))}",
        style="bold",
    )
    return bool(lacking) and choice == "answered"


def complete(c: Consulting, lacking: list[str], path: Path) -> str | None:
    """Ask what to do with the facts not asked: answer them, write them as unknown, or keep a resume file.

    Return "answered" or "unknown" to go on saving, None if the case file is not to be written.
    """
    names = ", ".join(fact_label(f) for f in lacking)
    c.say(f"Not asked, because they could not change the recommendation: {names}.")
    resume = resume_path_for(path)
    choices = [
        Option("answer", f"answer the {len(lacking)} question(s) now", "answer", 1),
        Option("unknown", "write them as unknown", "unknown", 2),
        Option("resume", f"save a resume file instead: {resume}", "resume", 3),
        Option(BACK, "don't save", "?back"),
    ]
    picked = c.prompter.select("A case file names every fact. What now?", choices, "answer")
    if picked == "resume":
        save_resume(c.session, resume)
        c.say(
            f"Saved {resume}.\nContinue with: advisor ask --resume {shlex.quote(str(resume))}",
            style="bold",
        )
    if picked == BACK:
        c.say("Not saved.")
    if picked == "unknown":
        return "unknown"
    if picked != "answer":
        return None
    for fact in lacking:
        c.say(f"\nNeeded for the case file: {fact_label(fact)}", style="bold")
        reply = c.ask(fact, back=None)
        c.record(fact, reply)
    return "answered"


def ask_path(
    c: Consulting, message: str = "Save the case file as", default: str | None = None
) -> Path | None:
    """Ask where to save a file; return None if the user gives up or the place is unusable."""
    default = default or str(c.session.save or case_file_name(c.session.parties, c.session.about))
    typed = c.prompter.text(message, default)
    if not typed:
        return None
    path = Path(typed).expanduser()
    if path.is_dir() or not path.parent.is_dir():
        c.say(f"{path}: " + ("is a directory" if path.is_dir() else "its folder does not exist"))
        return None
    if path.exists():
        choices = [Option("yes", "replace it", "yes"), Option("no", "keep it", "no")]
        if c.prompter.select(f"{path} exists. Replace it?", choices, "no") != "yes":
            return None
    return path
