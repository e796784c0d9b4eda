"""The `advisor ask` command: a guided consultation in the terminal (see advisor.ask)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from advisor.commands.common import CaseOption, RulesOption, fail, knowledge_base, load_one_case, writable

NO_TERMINAL = "ask needs an interactive terminal; for a case file use: advisor advise FILE"


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.command(short_help="Start here: a guided consultation, one question at a time.")(ask)


def ask(
    answers: Annotated[
        Path | None, typer.Option("--answers", metavar="FILE", help="Pre-fill the answers from a case file.")
    ] = None,
    case: CaseOption = None,
    resume: Annotated[
        Path | None,
        typer.Option("--resume", metavar="FILE", help="Continue a consultation that was interrupted."),
    ] = None,
    save: Annotated[
        Path | None,
        typer.Option("--save", metavar="FILE", help="Write the answers as a case file at the end."),
    ] = None,
    rules: RulesOption = None,
) -> None:
    """Consult the advisor in the terminal: one question at a time, then the recommendation.

    Type an answer's name, the start of it, or its number, then Enter; commands start
    with ? (?why, ?help, ?unknown, ?back). Ctrl-C keeps the answers in a resume file.

    Examples:

    \b
      advisor ask
      advisor ask --save mine.yaml
      advisor ask --answers cases/library/us-japan-1960.yaml
      advisor ask --resume consultation.advisor-resume.yaml
    """
    from advisor.output import error

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail(NO_TERMINAL)
    if case is not None and answers is None:
        fail("--case chooses a case in the --answers file; give --answers FILE too")
    if answers is not None and resume is not None:
        fail("--answers and --resume cannot be used together")
    if save is not None:
        writable(save, "--save")
    from advisor.ask.resume import SessionFileError, read_resume
    from advisor.ask.session import Session
    from advisor.ask.start import start
    from advisor.rulebase import digest

    session = Session()
    if resume is not None:
        if resume.is_dir():
            fail(f"{resume}: is a directory, not a resume file")
        try:
            session = read_resume(resume)
        except SessionFileError as exc:
            fail(str(exc))
        if session.rules is not None and session.rules != digest(rules):
            error(
                f"note: {resume} was written under another knowledge base ({session.rules}; this one "
                f"is {digest(rules)}): the answers are kept, but the questions and advice may differ"
            )
        if save is None and session.save is not None:
            said = f"{resume} says to write the case file to {session.save}, which exists"
            session.save = _confirmed_save(said, session.save)
    if answers is not None:
        from advisor.optional import given_facts

        chosen = load_one_case(answers, case)
        about = chosen.model_dump(include={"id", "title", "year", "expected", "notes", "sources"})
        facts, parties = given_facts(chosen.facts), chosen.parties
        session = Session.from_case(facts, parties, about, chosen.contested, chosen.unknown)
    if save is not None:
        session.save = _confirmed_save(f"--save {save} exists", save)
    session.rules = digest(rules)
    if rules is not None:
        knowledge_base(rules)  # a broken rules directory is reported before any question
    raise typer.Exit(start(session, rules=rules))


def _confirmed_save(said: str, path: Path) -> Path | None:
    """Return the case file to write at the end, if that overwrites nothing or the user agrees
    (``said`` names the file that exists and who asks for it: --save or a resume file)."""
    from advisor.ask.lines import read_line
    from advisor.output import error, printable

    if not os.path.lexists(path):
        return path
    question = printable(f"{said}. Overwrite it at the end?")
    try:
        agreed = read_line(question + " (y/N)").lower() in ("y", "yes")
    except EOFError:
        agreed = False
    if not agreed:
        error(f"note: {path} will not be overwritten; save the case file from the result menu")
    return path if agreed else None
