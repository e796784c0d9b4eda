"""A student's exercise in the terminal: the brief, the coding, the prediction, the submission, the feedback.

The coding is ``advisor ask``'s questionnaire, used as a library, with two
changes: every fact that applies is asked (a student codes the whole situation,
so none is skipped as irrelevant: the thirteen required facts, and for a group
scenario ``standing_commitment``, never for a pair), and nothing hints at the
recommendation before the student has predicted. Leaving at any prompt (Ctrl-C, Ctrl-D) writes a draft
file, and ``--resume DRAFT`` continues from it: nothing typed is lost.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError
from rich.console import Console
from rich.table import Table
from rich.text import Text

from advisor import __version__
from advisor.ask.flow import Consultation
from advisor.ask.lines import typed_when_left
from advisor.ask.prompts import Option, Prompter
from advisor.ask.questions import BACK, shown_questions
from advisor.ask.session import Session
from advisor.documents import DocumentError, read_document
from advisor.engine import Relevance
from advisor.exercise.dump import dump_yaml
from advisor.exercise.model import Pack, Scenario
from advisor.exercise.submission import (
    UNKNOWN,
    Answer,
    Submission,
    now,
    rules_digest,
    show_answer,
    write_submission,
)
from advisor.facts import ASKED_FACTS, FACT_NAMES, grouping_of
from advisor.optional import applies
from advisor.outcomes import OUTCOME_IDS, OUTCOMES
from advisor.output import write_atomically
from advisor.render.narrow import Stacked

DRAFT_FORMAT = "advisor-exercise-draft/1"


class DraftError(ValueError):
    """A draft file that cannot be used; the message names the file and the problem."""


class Interview(Consultation):
    """The questionnaire of ``advisor ask`` for a student: every fact asked, no recommendation shown."""

    go_on = "yes: go on to your prediction"  # the recommendation comes only with the feedback

    def pending(self, rel: Relevance) -> list[str]:
        """Return every unanswered fact that applies, in the questionnaire's order: a student codes them
        all (an optional fact for a group only, standing_commitment, is asked of a group scenario)."""
        asked = shown_questions(grouping_of(self.session.parties))
        return [f for f in asked if not self.session.answered(f)]

    def tell_skipped(self, rel: Relevance, upto: str | None) -> None:
        """Say nothing about skipped questions or a settled outcome: the student has not predicted yet."""


@dataclass
class Exercise:
    """One student's work on one scenario, as far as it has got."""

    scenario: Scenario
    student: str
    session: Session
    prediction: str | None = None
    rationale: str | None = None


def brief_to_terminal(scenario: Scenario, console: Console, *, page: bool = True) -> None:
    """Print the brief as rich Markdown, through the pager when it is taller than the terminal."""
    from advisor.render.exercise import brief

    view = brief(scenario)
    tall = len(console.render_lines(view, console.options, pad=False)) > console.height - 3
    if page and tall and console.is_terminal:
        os.environ.setdefault("LESS", "-FRX")  # less: keep colours, and leave the brief on the screen
        with console.pager(styles=True):
            console.print(view)
    else:
        console.print(view)


def run(
    exercise: Exercise,
    pack: Pack,
    out: Path,
    *,
    prompter: Prompter,
    console: Console,
    page: bool = True,
) -> int:
    """Run a student's exercise to the end and return the exit status (130 if left, with a draft saved)."""
    from advisor.engine import get_engine

    brief_to_terminal(exercise.scenario, console, page=page)
    console.print(
        Text(
            "\nCode the situation as the brief describes it, one fact at a time. At any question: "
            "?why it is asked, ?help on the scale, ?unknown, ?back (commands start with ?; "
            "a letter alone is read as the start of an answer). Ctrl-C keeps your answers.",
            style="dim",
        )
    )
    interview = Interview(exercise.session, get_engine(), prompter, console, menu=[])
    try:
        interview.interview()
        prediction = BACK
        while prediction == BACK:  # ?back at the prediction: the answers again, to change one
            interview.review()
            prediction = ask_prediction(prompter, console, exercise.prediction)
        exercise.prediction = prediction
        exercise.rationale = ask_rationale(prompter, exercise)
    except (KeyboardInterrupt, EOFError):
        return save_draft(exercise, out, console)
    submission = finished(exercise, pack)
    try:
        write_submission(submission, out)
    except OSError as exc:
        console.print(Text(f"Cannot write {out}: {exc.strerror or exc}", style="bold red"))
        return save_draft(exercise, out, console)
    draft_path(out).unlink(missing_ok=True)
    console.print(Text(f"\nSubmitted: {out}", style="bold"))
    if pack.for_students:
        console.print(Text("Hand this file to your instructor for feedback.", style="dim"))
        return 0
    from advisor.exercise.feedback import feedback
    from advisor.render.exercise import feedback_view

    submission = replace(submission, file=str(out))
    console.print(feedback_view(feedback(submission, pack)))
    return 0


def ask_prediction(prompter: Prompter, console: Console, default: str | None) -> str:
    """Ask the student's prediction: which of the six outcomes the parties actually chose."""
    console.print(Text("\nYour prediction, before you see the advisor's answer. The outcomes:", style="bold"))
    console.print(outcome_list())
    options: list[Option | None] = [
        Option(o, OUTCOMES[o].label, o, i, aliases=(OUTCOMES[o].label,)) for i, o in enumerate(OUTCOME_IDS, 1)
    ]
    options += [None, Option(BACK, "your answers again, to change one", "?back")]
    question = "What tie do you predict the parties built?"
    hint = f"Type an outcome's name ({', '.join(OUTCOME_IDS)}), the start of it, or its number, then Enter."
    return prompter.select(question, options, default, hint)


RATIONALE = "Your rationale, in a sentence or two (Enter to skip):"


def ask_rationale(prompter: Prompter, exercise: Exercise) -> str:
    """Ask the student's rationale; leaving the line (Ctrl-C, Ctrl-D) keeps what was typed on it in the
    draft, as a party's name is kept (it is put back on the line on resuming)."""
    try:
        return prompter.text(RATIONALE, exercise.rationale or "")
    except (KeyboardInterrupt, EOFError) as exc:
        left = typed_when_left(exc).strip()
        if left:
            exercise.rationale = left
        raise


def outcome_list() -> Stacked:
    """Return the six outcomes, numbered, with their meaning: beside the name where the terminal is
    wide enough for both, else under it (a narrow terminal would squeeze the meaning to a few letters)."""
    rows = [(f"{n} {OUTCOMES[o].label}", OUTCOMES[o].summary) for n, o in enumerate(OUTCOME_IDS, start=1)]
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for name, summary in rows:
        table.add_row(name, summary)
    return Stacked(table, wide=max(len(name) for name, _ in rows) + 2 + 30)  # room for the meaning beside


def finished(exercise: Exercise, pack: Pack) -> Submission:
    """Return the submission for a finished exercise (unknown answers written as unknown)."""
    assert exercise.prediction is not None
    return Submission(
        scenario=exercise.scenario.id,
        student=exercise.student,
        facts={f: answer_of(exercise, f) for f in coded(exercise)},
        prediction=exercise.prediction,
        rationale=(exercise.rationale or "").strip(),
        submitted=now(),
        pack=pack.id,
        pack_version=pack.version,
        advisor_version=__version__,
        rules_digest=rules_digest(),
    )


def coded(exercise: Exercise) -> tuple[str, ...]:
    """Return the facts a submission writes: the required ones, and each optional one that was asked
    (only where it applies: standing_commitment for a group scenario)."""
    session, derived = exercise.session, exercise.scenario.derived
    optional = [f for f in ASKED_FACTS if f not in FACT_NAMES and applies(f, derived) and session.answered(f)]
    return (*FACT_NAMES, *optional)


def answer_of(exercise: Exercise, fact: str) -> Answer:
    """Return a student's answer: a value, several values (a tuple), or None for unknown."""
    session = exercise.session
    return None if fact in session.unknown else session.default(fact)


# --- drafts ------------------------------------------------------------------------------------


def draft_path(out: Path) -> Path:
    """Return the draft file that goes with a submission file."""
    return out.with_name(f"{out.stem}.draft.yaml")


def save_draft(exercise: Exercise, out: Path, console: Console) -> int:
    """Write what was typed to a draft file and say how to continue; return 130."""
    path = draft_path(out)
    session = exercise.session
    data: dict[str, Any] = {
        "format": DRAFT_FORMAT,
        "scenario": exercise.scenario.id,
        "student": exercise.student,
        "answers": {f: show_answer(answer_of(exercise, f), raw=True) for f in session.history},
        "out": str(out),
    }
    if exercise.prediction:
        data["prediction"] = exercise.prediction
    if exercise.rationale:
        data["rationale"] = exercise.rationale
    header = "# An unfinished exercise: the answers typed so far.\n"
    try:
        write_atomically(path, header + dump_yaml(data))
    except OSError as exc:  # never lose the answers: show them instead
        console.print(Text(f"Cannot write {path} ({exc.strerror or exc}); your answers so far:"))
        console.print(Text(dump_yaml(data)))
        return 1
    command = (
        f"advisor exercise start {exercise.scenario.id} --student {shlex.quote(exercise.student)} "
        f"--resume {shlex.quote(str(path))}"
    )
    console.print(
        Text(f"\nStopped. Your answers so far are saved in {path}\nContinue with: {command}", style="bold")
    )
    return 130


class _Draft(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    format: Literal["advisor-exercise-draft/1"]
    scenario: str
    student: str
    answers: dict[str, str | bool | list[str | bool]] = {}  # a value, unknown, or several values
    prediction: str | None = None
    rationale: str | None = None
    out: str | None = None


def read_draft(path: Path, scenario: Scenario) -> tuple[Exercise, Path | None]:
    """Read a draft back into an exercise (and the submission file it was for); raise DraftError."""
    try:
        raw = _Draft.model_validate(read_document(path).data)
        if raw.scenario != scenario.id:
            raise ValueError(f"is a draft for the scenario {raw.scenario}, not {scenario.id}")
        session = Session(parties=list(scenario.parties))
        for fact, value in raw.answers.items():
            if fact not in ASKED_FACTS or not applies(fact, scenario.derived):
                raise ValueError(f"answers: {fact}: unknown fact")
            answer = None if value == UNKNOWN else tuple(value) if isinstance(value, list) else value
            session.answer(fact, answer)  # checked against the fact's scale
    except DocumentError as exc:
        raise DraftError(f"{path}: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(file)"
        raise DraftError(f"{path}: not a draft of advisor exercise: {where}: {first['msg']}") from None
    except ValueError as exc:
        raise DraftError(f"{path}: {exc}") from None
    prediction = raw.prediction if raw.prediction in OUTCOME_IDS else None
    exercise = Exercise(scenario, raw.student, session, prediction=prediction, rationale=raw.rationale)
    return exercise, Path(raw.out) if raw.out else None
