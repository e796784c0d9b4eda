"""Reading and validating case files in bulk into plain data (``CaseInput``), errors kept apart; and
reading and running them in one pass (``load_and_run``), each worker running the cases it has read."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path

from advisor.cases import CaseError, load_file
from advisor.evaluate.results import CaseInput, Verdict
from advisor.evaluate.run import (
    PARALLEL_FROM,
    Progress,
    before_forking,
    in_parallel,
    resolved,
    run_cases,
    run_chunk,
    spread,
)

RUNS_PER_FILE = 2  # in one pass, a chunk of files runs this many cases a file; the rest run in another


def load_cases(
    files: Sequence[str],
    *,
    jobs: int = 1,
    parallel_from: int = PARALLEL_FROM,
    progress: Progress | None = None,
) -> tuple[list[CaseInput], list[CaseError]]:
    """Read and validate case files; return the valid cases and the errors, both in file order. A case
    whose id an earlier case took is an error only: results hold one case per id."""
    per_file = spread(_load_chunk, files, jobs, parallel_from, progress, "reading")
    cases, errors, _ = _first_of_each_id((found, problems, ()) for found, problems in per_file)
    return cases, errors


def load_and_run(
    files: Sequence[str],
    rules: Path | None = None,
    *,
    traces: bool = False,
    jobs: int = 1,
    parallel_from: int = PARALLEL_FROM,
    progress: Progress | None = None,
) -> tuple[list[CaseInput], list[CaseError], list[Verdict]]:
    """Read, validate and run case files: the valid cases, the errors and the cases' verdicts, in order,
    as ``load_cases`` then ``run_cases`` (judged) give them.

    Many files are read and run in one pass over the workers, each running the cases it has read
    (no second start of the workers, nothing waits for the last file to be read); a chunk runs up to
    ``RUNS_PER_FILE`` cases a file, so that a file of many cases cannot hold up the end: the cases
    left are run in a second pass, spread over the workers too. Few files are read, then run.
    """
    if not in_parallel(len(files), jobs, parallel_from):
        cases, errors = load_cases(files, jobs=jobs, parallel_from=parallel_from, progress=progress)
        return (
            cases,
            errors,
            run_cases(cases, rules, traces=traces, jobs=jobs, parallel_from=parallel_from, progress=progress),
        )
    before_forking(rules)
    read_and_run = partial(_read_and_run_chunk, resolved(rules), traces)
    per_file = spread(read_and_run, files, jobs, parallel_from, progress, "reading and evaluating")
    cases, errors, found = _first_of_each_id(per_file)
    unrun = [case for case, verdict in zip(cases, found, strict=True) if verdict is None]
    more = iter(
        run_cases(unrun, rules, traces=traces, jobs=jobs, parallel_from=parallel_from, progress=progress)
        if unrun
        else ()
    )
    return cases, errors, [next(more) if verdict is None else verdict for verdict in found]


PerFile = tuple[list[CaseInput], list[CaseError], Sequence[Verdict | None]]


def _first_of_each_id(
    per_file: Iterable[PerFile],
) -> tuple[list[CaseInput], list[CaseError], list[Verdict | None]]:
    """Keep the cases (and their verdicts, if any) whose id no earlier case took; the others are errors."""
    cases: list[CaseInput] = []
    errors: list[CaseError] = []
    verdicts: list[Verdict | None] = []
    first: dict[str, str] = {}  # case id -> the file that defined it first
    for found, problems, run in per_file:
        errors += problems
        for i, case in enumerate(found):
            if case.id in first:
                errors.append(_duplicate(case, first[case.id]))
                continue
            first[case.id] = case.file
            cases.append(case)
            verdicts.append(run[i] if run else None)
    return cases, errors, verdicts


def _duplicate(case: CaseInput, first: str) -> CaseError:
    """Explain a case id that an earlier case already took."""
    where = "earlier in this file" if first == case.file else f"in {first}"
    return CaseError(
        case.file,
        f"duplicate case id {case.id!r}: already defined {where} (this one is not evaluated; "
        "give each case its own id)",
        case.id,
    )


def _load_chunk(files: Sequence[str]) -> list[tuple[list[CaseInput], list[CaseError]]]:
    """Read a chunk of files (in a worker or in-process) into plain data."""
    return [_load_one(name) for name in files]


def _load_one(name: str) -> tuple[list[CaseInput], list[CaseError]]:
    """Read one case file into plain data."""
    loaded, errors = load_file(Path(name), display=name)
    cases = [
        CaseInput(
            file=item.file,
            id=item.case.name,
            title=item.case.title,
            parties=tuple(item.case.parties),
            year=item.case.year,
            expected=item.case.expected,
            facts=item.case.facts.model_dump(),
            contested=tuple(item.case.contested.items()),
        )
        for item in loaded
    ]
    return cases, errors


def _read_and_run_chunk(rules: Path | None, traces: bool, files: Sequence[str]) -> list[PerFile]:
    """Read a chunk of files and run their cases, up to ``RUNS_PER_FILE`` a file (None: not run)."""
    read = _load_chunk(files)
    cases = [case for found, _ in read for case in found][: RUNS_PER_FILE * len(files)]
    verdicts = iter(run_chunk([(rules, traces, True, c.facts, c.contested) for c in cases]))
    return [(found, problems, [next(verdicts, None) for _ in found]) for found, problems in read]
