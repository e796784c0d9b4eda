"""The ``advisor evaluate`` command: a thin layer over ``advisor.evaluate``."""

from __future__ import annotations

import gc
import os
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
    typer.Option(
        "--junit",
        metavar="FILE",
        help="Also write JUnit XML: one test per case, for CI ('-': on standard output, "
        "instead of the table; not with --json).",
    ),
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
    for invalid input. When it is not 0, a closing line on standard error says why
    (every reason: unreadable files, invalid cases, failed expectations). The case
    format and the JSON results are in docs/case-format.md.

    Examples:

    \b
      advisor evaluate cases/library
      advisor evaluate 'cases/library/*-19*.yaml' --junit results.xml
      advisor evaluate cases/library --json > results.json
      advisor evaluate cases/library --junit - > results.xml
      advisor evaluate cases/library --against my-rules/
    """
    from advisor.commands.common import console, fail, is_stdout, knowledge_base, not_an_input
    from advisor.evaluate import collect, default_jobs, evaluate
    from advisor.output import error, json_text, write_atomically
    from advisor.render.junit import junit_xml

    if is_stdout(junit) and as_json:
        fail("--junit -: standard output carries the JSON (--json); write the JUnit XML to a file")
    if junit is not None and not is_stdout(junit):  # the case files are walked again below: only if needed
        not_an_input("--junit", junit, [*collect(paths)[0], *(p for p in paths if os.path.isfile(p))])
    knowledge_base(rules, "--rules")
    if against is not None:
        knowledge_base(against, "--against")
    if jobs is not None and jobs > default_jobs():
        error(f"--jobs {jobs}: using {default_jobs()}, the number of CPUs this process may use")
        jobs = default_jobs()
    # What this process has imported, and then the results, live as long as it does: the collector
    # need not go through them again and again (at 10,000 cases that took 0.3-0.6 s).
    gc.freeze()
    with _progress() as progress:
        evaluation = evaluate(paths, rules=rules, against=against, jobs=jobs, progress=progress)
    gc.freeze()
    for problem in evaluation.errors:
        error(str(problem))
    status = evaluation.status
    if is_stdout(junit):
        sys.stdout.write(junit_xml(evaluation))
    elif junit is not None:
        try:  # a failure here still lets the results below come out
            write_atomically(junit, junit_xml(evaluation))
        except OSError as exc:
            error(f"--junit {junit}: cannot write the file ({exc.strerror or exc})")
            status = 2
    if as_json:
        print(json_text(evaluation.to_dict()))
    elif not is_stdout(junit):
        from advisor.render.evaluation import EvaluationReport

        console().print(EvaluationReport(evaluation))
    closing = closing_line(evaluation, status)
    if closing:
        sys.stderr.write(f"advisor: {closing}\n")
    raise typer.Exit(status)


def closing_line(evaluation: Any, status: int | None = None) -> str | None:
    """Say in one line why the exit status is not 0: the inputs that could not be read, the invalid
    cases, and the expectations that failed, all of them (each error has had its own line already)."""
    status = evaluation.status if status is None else status
    if status == 0:
        return None
    unreadable = {e.file for e in evaluation.errors if e.case is None}
    invalid = sum(e.case is not None for e in evaluation.errors)
    parts = []
    if unreadable:
        total = len(unreadable | set(evaluation.files))
        parts.append(f"{len(unreadable)} of {total} files could not be read")
    if invalid:
        parts.append(f"{invalid} {'case is' if invalid == 1 else 'cases are'} invalid")
    summary = evaluation.summary
    wrong = summary.with_expected - summary.matched
    if evaluation.changes is None and wrong:
        parts.append(f"{wrong} of {summary.with_expected} cases disagree with their expected outcome")
    if not parts:  # only the --junit file failed: its line said so
        return None
    return f"{'; '.join(parts)} (exit status {status})"


@contextmanager
def _progress() -> Iterator[Any]:
    """Yield a progress bar on standard error when it is a terminal; otherwise None."""
    if not sys.stderr.isatty():
        yield None
        return
    from advisor.output import console
    from advisor.render.progress import LazyProgress

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
