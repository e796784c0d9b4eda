"""Saving a consultation's answers: as a case file (completing the facts not asked), or a resume file.

These steps work on any ``Consulting`` (see ``advisor.ask.consulting``): the
consultation calls them when it ends, and so does the result menu.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from advisor.ask.casefile import advice_for, case_data, case_file_name, write_case
from advisor.ask.consulting import Consulting
from advisor.ask.prompts import Option, after_kept
from advisor.ask.questions import BACK, ORDER
from advisor.ask.resume import RESUME_SUFFIX, resume_path_for, save_resume
from advisor.engine import Recommendation
from advisor.facts import fact_label
from advisor.output import unused_path


class NotSaved(Exception):
    """The answers were to be saved and could not be: nothing was written."""


class KeptForLater(Exception):
    """The user chose to keep the answers in a resume file rather than write the case file."""


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


def save_case(c: Consulting, path: Path, *, at_end: bool = False) -> bool:
    """Write the answers as a case file, completing the facts not asked; return if answers changed.

    ``at_end`` (the file ``--save`` names, when the consultation ends): raise ``NotSaved`` when the
    file cannot be written, and ``KeptForLater`` when the user keeps a resume file instead, so
    that the consultation keeps the answers and its resume file rather than end as if saved.
    """
    lacking = [f for f in ORDER if f in c.session.not_asked()]
    choice = complete(c, lacking, path, at_end=at_end) if lacking else "answered"
    if choice is None:
        return False
    rec = advice_for(c.session, c.engine)
    note = f"Answers from an advisor ask consultation; it recommended {rec.label}."
    also_unknown = lacking if choice == "unknown" else []
    try:
        write_case(c.session, path, note, also_unknown=also_unknown)
    except OSError as exc:
        c.say(f"Cannot write {path}: {exc.strerror or exc}", style="bold red")
        if at_end:
            raise NotSaved(str(path)) from exc
        return bool(lacking) and choice == "answered"
    unknown = [f for f in ORDER if f in c.session.unknown or f in also_unknown]
    more = f" ({len(unknown)} fact(s) written as unknown)" if unknown else ""
    c.say(
        f"Saved the case file {path}{more}.\nCheck it with: advisor advise {shlex.quote(str(path))}",
        style="bold",
    )
    if also_unknown:
        tell_reading(c, rec, path, also_unknown)
    return bool(lacking) and choice == "answered"


def tell_reading(c: Consulting, shown: Recommendation, path: Path, also_unknown: list[str]) -> None:
    """Say what ``advisor advise`` gives on a case file with facts not asked written as unknown, where
    it differs from the result shown: it reasons over every value of them and explains one reading,
    while the consultation reasoned without them (the recommendation is the same; they cannot change it)."""
    from advisor.cases import Case
    from advisor.engine import advise

    filed = advise(Case.model_validate(case_data(c.session, also_unknown=also_unknown)), engine=c.engine)
    if filed.deciding_rule == shown.deciding_rule and round(filed.belief, 2) == round(shown.belief, 2):
        return
    names = ", ".join(fact_label(f) for f in also_unknown)
    c.say(
        f"advisor advise reads this file over every value of the facts written as unknown ({names}) and "
        f"explains one reading of them: {filed.label} (belief {filed.belief:+.2f}, strongest reason "
        f"{filed.deciding_rule}), where this consultation, reasoning without them, showed {shown.label} "
        f"(belief {shown.belief:+.2f}, strongest reason {shown.deciding_rule}).",
        style="dim",
    )


def complete(c: Consulting, lacking: list[str], path: Path, *, at_end: bool = False) -> str | None:
    """Ask what to do with the facts not asked: answer them, write them as unknown, or keep a resume file.

    Return "answered" or "unknown" to go on saving, None if the case file is not to be written.
    A resume file never replaces another file: one that exists gets a numbered name beside it.
    """
    names = ", ".join(fact_label(f) for f in lacking)
    c.say(f"Not asked, because they could not change the recommendation: {names}.")
    # at the end, the consultation's own resume file may take its latest answers
    own = c.session.resume_path if at_end else None
    resume = unused_path(resume_path_for(path), suffix=RESUME_SUFFIX, own=own)
    choices = [
        Option("answer", f"answer the {len(lacking)} question(s) now", "answer", 1),
        Option("unknown", "write them as unknown", "unknown", 2),
        Option("resume", f"save a resume file instead: {resume}", "resume", 3),
        Option(BACK, "don't save", "?back"),
    ]
    picked = c.prompter.select("A case file names every fact. What now?", choices, "answer")
    if picked == "resume":
        try:
            save_resume(c.session, resume)
        except OSError as exc:
            c.say(f"Cannot write {resume}: {exc.strerror or exc}", style="bold red")
            if at_end:
                raise NotSaved(str(resume)) from exc
            return None
        c.say(
            f"Saved {resume}.\nContinue with: advisor ask --resume {shlex.quote(str(resume))}",
            style="bold",
        )
        if at_end:
            raise KeptForLater(str(resume))
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
    # a command typed on the line, alone or after the name put on it (``mine.yaml?back``), saves nothing:
    # no file is named after one
    typed = after_kept(c.prompter.text(message, default), default)
    if not typed or typed.startswith("?"):
        c.say("Not saved." if "file" in message else "Not written.")
        return None
    path = Path(typed).expanduser()
    if path.is_dir() or not path.parent.is_dir():
        c.say(f"{path}: " + ("is a directory" if path.is_dir() else "its folder does not exist"))
        return None
    if path.exists():
        # the names to type are the words shown (yes and no work too); Enter keeps the file
        choices = [
            Option("yes", "replace: write the new file over it", "replace", aliases=("yes",)),
            Option("no", "keep: leave it as it is", "keep", aliases=("no",)),
        ]
        if c.prompter.select(f"{path} exists. Replace it?", choices, "no") != "yes":
            return None
    return path
