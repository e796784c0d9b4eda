"""Reading and validating case files in bulk into plain data (``CaseInput``), errors kept apart."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from advisor.cases import CaseError, load_file
from advisor.evaluate.results import CaseInput
from advisor.evaluate.run import PARALLEL_FROM, Progress, spread


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
    cases: list[CaseInput] = []
    errors: list[CaseError] = []
    first: dict[str, str] = {}  # case id -> the file that defined it first
    for found, problems in per_file:
        errors += problems
        for case in found:
            if case.id in first:
                errors.append(_duplicate(case, first[case.id]))
                continue
            first[case.id] = case.file
            cases.append(case)
    return cases, errors


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
