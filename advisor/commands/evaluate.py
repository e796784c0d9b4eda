"""The ``advisor evaluate`` command: a thin layer over ``advisor.evaluate``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

PathsArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="PATH...",
        help="Case files, directories (searched recursively) or globs (quoted) of YAML/JSON case files.",
        show_default=False,
    ),
]
JsonOption = Annotated[
    bool,
    typer.Option("--json", help="Print only the JSON results on standard output (see docs/case-format.md)."),
]
JunitOption = Annotated[
    Path | None,
    typer.Option("--junit", metavar="FILE", help="Also write JUnit XML: one test per case, for CI."),
]
RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", metavar="DIR", help="A rules directory to use instead of the bundled one."),
]
AgainstOption = Annotated[
    Path | None,
    typer.Option(
        "--against",
        metavar="DIR",
        help="Run the cases under this rules directory too and list the cases whose recommendation "
        "changes, with the rules that made the difference.",
    ),
]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        metavar="N",
        help="Worker processes for big batches (default: the number of CPUs).",
    ),
]


def evaluate_command(
    paths: PathsArgument,
    as_json: JsonOption = False,
    junit: JunitOption = None,
    rules: RulesOption = None,
    against: AgainstOption = None,
    jobs: JobsOption = None,
) -> None:
    """Evaluate case files: recommendation against expectation for every case, accuracy, confusion matrix.

    Exit status: 0 when every expectation matched, 1 when one failed, 2 when an
    input was invalid (the valid cases are still evaluated). With --against: 0, or 2
    for invalid input. The case format and the JSON results are in docs/case-format.md.

    Examples:

    \b
      advisor evaluate cases/library
      advisor evaluate 'cases/library/*-19*.yaml' --junit results.xml
      advisor evaluate cases/library --json > results.json
      advisor evaluate cases/library --against my-rules/
    """
    from advisor.commands.common import console, knowledge_base
    from advisor.evaluate import default_jobs, evaluate
    from advisor.output import error, json_text, write_atomically
    from advisor.render.junit import junit_xml

    knowledge_base(rules, "--rules")
    if against is not None:
        knowledge_base(against, "--against")
    if jobs is not None and jobs > default_jobs():
        error(f"--jobs {jobs}: using {default_jobs()}, the number of CPUs this process may use")
        jobs = default_jobs()
    with _progress() as progress:
        evaluation = evaluate(paths, rules=rules, against=against, jobs=jobs, progress=progress)
    for problem in evaluation.errors:
        error(str(problem))
    status = evaluation.status
    if junit is not None:
        try:  # a failure here still lets the results below come out
            write_atomically(junit, junit_xml(evaluation))
        except OSError as exc:
            error(f"--junit {junit}: cannot write the file ({exc.strerror or exc})")
            status = 2
    if as_json:
        print(json_text(evaluation.to_dict()))
    else:
        from advisor.render.evaluation import EvaluationReport

        console().print(EvaluationReport(evaluation))
    closing = closing_line(evaluation)
    if closing:
        sys.stderr.write(f"advisor: {closing}\n")
    raise typer.Exit(status)


def closing_line(evaluation: Any) -> str | None:
    """Say in one line why the exit status is 1; None otherwise (status 2 has a line per error already)."""
    status, summary = evaluation.status, evaluation.summary
    if status == 1:
        wrong = summary.with_expected - summary.matched
        return (
            f"{wrong} of {summary.with_expected} cases disagree with their expected outcome (exit status 1)"
        )
    return None


@contextmanager
def _progress() -> Iterator[Any]:
    """Yield a progress bar on standard error when it is a terminal; otherwise None."""
    if not sys.stderr.isatty():
        yield None
        return
    from advisor.output import console
    from advisor.render.evaluation import LazyProgress

    bar = LazyProgress(console(stderr=True))
    try:
        yield bar
    finally:
        bar.close()


def register(app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.command("evaluate", short_help="Evaluate case files: accuracy and a confusion matrix.")(
        evaluate_command
    )
