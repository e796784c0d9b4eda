"""Evaluating case files in bulk: every case through the engine, scored against its expectation.

The pipeline follows the data: paths (files, directories, globs) → case files →
valid cases (plain data) → one engine run per case → results, a summary, a
confusion matrix, JSON (docs/case-format.md) and JUnit XML. A bad input never stops the
batch; it becomes an error entry and the other cases are still evaluated.

The modules follow the pipeline: ``inputs`` (paths to case files), ``load``
(case files to ``CaseInput``; for many files, read and run in one pass over the
workers), ``run`` (the engine over every case, across worker processes for big
batches), ``compare`` (two knowledge bases) and ``results`` (verdicts, summary,
confusion matrix, JSON); ``workers`` starts and ends the worker processes. JUnit
XML is rendered by ``advisor.render.junit``.
This module holds the library's entry point, ``evaluate``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from advisor.evaluate.compare import compare, difference, edited_rules
from advisor.evaluate.inputs import collect
from advisor.evaluate.load import load_and_run, load_cases
from advisor.evaluate.results import (
    CaseInput,
    CaseResult,
    Evaluation,
    Summary,
    Verdict,
    VerdictChange,
    summarize,
)
from advisor.evaluate.run import (
    PARALLEL_FROM,
    Progress,
    default_jobs,
    resolved,
    run_cases,
    verdict,
)
from advisor.rulebase import load_knowledge_base

__all__ = [
    "PARALLEL_FROM",
    "CaseInput",
    "CaseResult",
    "Evaluation",
    "Progress",
    "Summary",
    "Verdict",
    "VerdictChange",
    "collect",
    "compare",
    "default_jobs",
    "difference",
    "edited_rules",
    "evaluate",
    "load_and_run",
    "load_cases",
    "run_cases",
    "summarize",
    "verdict",
]


def evaluate(
    paths: Iterable[str | Path],
    *,
    rules: Path | None = None,
    against: Path | None = None,
    jobs: int | None = None,
    parallel_from: int = PARALLEL_FROM,
    progress: Progress | None = None,
) -> Evaluation:
    """Evaluate every case under the paths; with ``against``, also under a second knowledge base.

    Raises RuleBaseError if a knowledge base is invalid (before any file is read).
    """
    started = time.perf_counter()
    options: dict[str, Any] = {
        "jobs": min(jobs or default_jobs(), default_jobs()),  # more workers than CPUs only cost memory
        "parallel_from": parallel_from,
        "progress": progress,
    }
    # the knowledge bases are checked before any file is read; the engines are compiled where they run
    kb = load_knowledge_base(resolved(rules))
    other = load_knowledge_base(resolved(against)) if against is not None else None
    files, errors = collect(paths)
    cases, load_errors, verdicts = load_and_run(files, rules, traces=other is not None, **options)
    errors += load_errors
    results = tuple(CaseResult(c, v) for c, v in zip(cases, verdicts, strict=True))
    if other is None:
        return Evaluation(
            results,
            tuple(errors),
            kb.directory,
            seconds=time.perf_counter() - started,
            files=tuple(files),
        )
    # the other rules' verdicts are compared, never shown case by case: no confidence is judged
    new = run_cases(cases, against, stage="evaluating (other rules)", traces=True, judged=False, **options)
    return Evaluation(
        results,
        tuple(errors),
        kb.directory,
        against=tuple(CaseResult(c, v) for c, v in zip(cases, new, strict=True)),
        changes=tuple(compare(cases, verdicts, new, kb, other)),
        other_rules=other.directory,
        seconds=time.perf_counter() - started,
        files=tuple(files),
    )
