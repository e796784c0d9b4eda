"""The `advisor exercise` commands: course exercises for students and instructors (advisor.exercise)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from advisor.commands.common import (
    JsonOption,
    console,
    fail,
    files_under,
    is_stdout,
    not_an_input,
    same_file,
    writable,
)
from advisor.output import json_text, unused_path

exercise_app = typer.Typer(
    help="Policy-course exercises: code a scenario, predict, get feedback; grade a class.",
    no_args_is_help=True,
)

PackOption = Annotated[
    Path | None,
    typer.Option(
        "--pack",
        metavar="DIR",
        help="A scenario pack folder (default: the course pack shipped with the advisor).",
    ),
]


def register(app: typer.Typer) -> None:
    """Add the ``exercise`` command group to the application."""
    app.add_typer(exercise_app, name="exercise", short_help="Course exercises: scenarios, feedback, grading.")


def load(pack: Path | None, option: str = "--pack") -> Any:
    """Load a pack, or fail: one line for one problem; for several, a line each in the order of the
    files, then one that counts them."""
    from advisor.exercise.model import PackError
    from advisor.exercise.pack import load_pack
    from advisor.output import error

    try:
        return load_pack(pack)
    except PackError as exc:
        if len(exc.problems) == 1:
            fail(f"{option}: invalid scenario pack: {exc.problems[0]}")
        for problem in exc.problems:
            error(problem)
        fail(f"{option}: invalid scenario pack: {len(exc.problems)} problems, each on a line above")


def scenario_of(pack: Any, scenario_id: str) -> Any:
    """Return a scenario of the pack, or fail naming the ones there are."""
    try:
        return pack.scenario(scenario_id)
    except KeyError:
        fail(f"no scenario {scenario_id!r} in the pack {pack.id}; 'advisor exercise list' shows them")


@exercise_app.command("list")
def list_(pack: PackOption = None, as_json: JsonOption = False) -> None:
    """List the pack's scenarios: id, year, parties and title (never the answers). With --pack, check
    the whole pack first: every problem with its file, line and field.

    Examples:

    \b
      advisor exercise list
      advisor exercise list --pack my-pack/
    """
    chosen = load(pack)
    if as_json:
        print(json_text([s.listing() for s in chosen.scenarios.values()]))
        return
    from advisor.render.exercise import scenario_table
    from advisor.render.narrow import NARROWEST, WIDE, Stacked

    out = console(NARROWEST)
    out.print(Stacked(scenario_table(chosen)))
    out.print("Start one with: advisor exercise start ID --student NAME", soft_wrap=out.width >= WIDE)


@exercise_app.command()
def start(
    scenario_id: Annotated[
        str, typer.Argument(metavar="ID", help="A scenario id ('advisor exercise list').")
    ],
    student: Annotated[
        str, typer.Option("--student", metavar="NAME", help="Your name, as your instructor knows it.")
    ],
    pack: PackOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="FILE",
            help="The submission file to write (default: ID--NAME.yaml here; not '-').",
        ),
    ] = None,
    resume: Annotated[
        Path | None,
        typer.Option(
            "--resume", metavar="DRAFT", help="Continue from the draft an interrupted exercise left."
        ),
    ] = None,
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Print the brief without a pager.")] = False,
) -> None:
    """Read a scenario's brief, code its facts, predict the outcome; then get your feedback.

    Example:

    \b
      advisor exercise start us-india-2005 --student "Ada Example"
    """
    student = " ".join(student.split())
    if not student:
        fail("--student: give your name")
    chosen = load(pack)
    scenario = scenario_of(chosen, scenario_id)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail("exercise start needs an interactive terminal; 'advisor exercise feedback FILE' reads a file")
    from rich.console import Console

    from advisor.ask.prompts import TerminalPrompter
    from advisor.ask.session import Session
    from advisor.exercise.session import DraftError, Exercise, read_draft, run
    from advisor.exercise.submission import submission_file_name

    exercise = Exercise(scenario, student, Session(parties=list(scenario.parties)))
    if resume is not None:
        if not resume.is_file():
            fail(f"--resume {resume}: no such file")
        try:
            exercise, out_before = read_draft(resume, scenario)
        except DraftError as exc:
            fail(str(exc))
        if exercise.student != student:
            fail(f"--resume {resume}: is the draft of {exercise.student}, not {student}")
        out = out or out_before
    out = out or unused_path(Path(submission_file_name(scenario.id, student)))
    if is_stdout(out):
        fail("--out -: the exercise uses the terminal; name the submission file to write")
    not_an_input("--out", out, [*([resume] if resume else []), *files_under(chosen.directory)])
    writable(out, "--out")
    terminal = Console(highlight=False)
    status = run(
        exercise, chosen, out, prompter=TerminalPrompter(terminal), console=terminal, page=not no_pager
    )
    raise typer.Exit(status)


@exercise_app.command()
def export(
    pack: Annotated[Path, typer.Argument(metavar="PACK", help="The instructor's pack folder.")],
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="Where to write the students' copy (a new or empty folder).")
    ],
    for_students: Annotated[
        bool,
        typer.Option(
            "--for-students",
            help="Leave out reference codings, outcomes, debriefs, questions and sources.",
        ),
    ] = False,
) -> None:
    """Write a copy of a pack for students: titles, parties, years and briefs, nothing that gives
    the answers (the folder appears complete, or not at all).

    Example:

    \b
      advisor exercise export exercises/course students --for-students
    """
    if not for_students:
        fail("export writes a students' copy only; say so with --for-students")
    chosen = load(pack, "PACK")
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        fail(f"{directory}: " + ("is not a folder" if not directory.is_dir() else "is not empty"))
    above = next((p for p in directory.absolute().parents if p.exists()), None)
    if above is not None and not above.is_dir():
        fail(f"{directory}: {above} is a file, not a folder")
    from advisor.exercise.students import export_for_students

    try:
        written = export_for_students(chosen, directory)
    except OSError as exc:
        fail(f"{directory}: cannot write the students' copy there ({exc.strerror or exc})")
    print(
        f"Wrote a students' copy of {chosen.id} (version {chosen.version}) "
        f"to {directory}: {len(written)} files"
    )


@exercise_app.command()
def feedback(
    submission: Annotated[Path, typer.Argument(metavar="SUBMISSION", help="A submission file.")],
    pack: PackOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show the feedback on a submission: each fact against the reference, the score, the debrief.

    Example:

    \b
      advisor exercise feedback us-india-2005--ada-example.yaml
    """
    from advisor.exercise.feedback import feedback as feedback_of
    from advisor.exercise.grade import check_belongs
    from advisor.exercise.submission import SubmissionError, read_submission

    chosen = load(pack)
    if chosen.for_students:
        fail("this is a students' copy of the pack, without reference codings; use the instructor's pack")
    if submission.is_dir():
        fail(
            f"{submission}: is a folder; feedback takes one submission file ('exercise grade' takes folders)"
        )
    if not os.path.lexists(submission):
        fail(f"{submission}: no such file")
    try:
        read = read_submission(submission)
        check_belongs(read, chosen)
    except SubmissionError as exc:
        fail(str(exc))
    result = feedback_of(read, chosen)
    if as_json:
        print(json_text(result.to_dict()))
        return
    from advisor.render.exercise import feedback_view

    console().print(feedback_view(result))


@exercise_app.command()
def grade(
    submissions: Annotated[
        list[Path], typer.Argument(metavar="SUBMISSIONS...", help="Submission files, or folders of them.")
    ],
    pack: PackOption = None,
    csv_file: Annotated[
        Path | None,
        typer.Option(
            "--csv",
            metavar="FILE",
            help="Write the gradebook as CSV, one row per submission ('-': on standard output).",
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            metavar="FILE",
            help="Write the class report: FILE.md (Markdown) or FILE.html "
            "('-': Markdown on standard output).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Grade a class: scores, the most contested facts, predictions, codings that changed the advice.

    Exit status 2 when any submission was rejected (each has its line; the others are graded).

    Examples:

    \b
      advisor exercise grade class/ --csv grades.csv --report report.html
      advisor exercise grade class/ --json > grades.json
    """
    chosen = load(pack)
    if chosen.for_students:
        fail("this is a students' copy of the pack, without reference codings; use the instructor's pack")
    if report is not None and not is_stdout(report) and report.suffix.lower() not in (".md", ".html", ".htm"):
        fail(f"--report {report}: name a .md or .html file, or '-' (Markdown on standard output)")
    on_stdout = [f"{o} -" for t, o in ((csv_file, "--csv"), (report, "--report")) if is_stdout(t)]
    if len(on_stdout) + as_json > 1:
        other = "the JSON (--json)" if as_json else f"the output of {on_stdout[1]}"
        fail(f"{on_stdout[0]}: standard output carries {other}; write one of them to a file")
    from advisor.exercise.grade import found_submissions
    from advisor.exercise.grade import grade as grade_all
    from advisor.output import error

    found, unreadable = found_submissions(submissions)  # each folder walked once, here
    if not found:  # a mistyped or empty folder is not a class with nothing to grade
        for entry in unreadable:  # a folder of broken links has entries, none readable: name them
            error(str(entry))
        readable = "readable " if unreadable else ""
        fail(f"no {readable}submission files (*.yaml, *.yml, *.json) in {', '.join(map(str, submissions))}")
    targets = [
        (t, o) for t, o in ((csv_file, "--csv"), (report, "--report")) if t is not None and not is_stdout(t)
    ]
    read = [*submissions, *found, *files_under(chosen.directory)] if targets else []
    for target, option in targets:
        not_an_input(option, target, read)
        writable(target, option)
    if len(targets) == 2 and same_file(targets[0][0], targets[1][0]):
        fail(f"--report {report}: is the --csv file too; choose another file")

    grades = grade_all(submissions, chosen, found=(found, unreadable))  # unreadable entries are rejected
    for rejected in grades.rejected:
        error(str(rejected))
    if csv_file is not None:
        _write(csv_file, grades.to_csv())
    if report is not None:
        from advisor.render import class_report as reports

        html = report.suffix.lower() in (".html", ".htm")
        _write(report, reports.html(grades) if html else reports.markdown(grades))
    if as_json:
        print(json_text(grades.to_dict()))
    elif not on_stdout:
        from advisor.render.exercise import grades_view

        console().print(grades_view(grades))
    if grades.rejected:  # each had its line; the last one says what the exit status means
        count, total = len(grades.rejected), len(grades.rejected) + len(grades.graded)
        sys.stderr.write(
            f"advisor: {count} of {total} submissions were rejected, the others graded (exit status 2)\n"
        )
        raise typer.Exit(2)
    raise typer.Exit(0)


def _write(path: Path, text: str) -> None:
    """Write a file all at once, or the text on standard output for ``-``."""
    from advisor.output import printable, write_atomically

    if is_stdout(path):
        sys.stdout.write(printable(text, one_line=False))
    else:
        write_atomically(path, text)
