"""Running the engine on many cases, spread over worker processes for big batches.

Large batches are spread over worker processes (``workers``: forked from this
process on Linux, joblib's loky elsewhere). Each worker reads a chunk of files
and runs their cases (``load.load_and_run``), or reads a chunk of files, or
runs a chunk of cases, with ONE engine (the process-wide one of
``get_engine``: compiled here before the workers are forked, or by each loky
worker, which keeps it for every later chunk). Results are returned as plain
data, in input order.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from advisor.engine import Engine, clarity, get_engine, lead, reading_shares
from advisor.engine.as_given import hinges_over_readings
from advisor.evaluate.results import CaseInput, Verdict
from advisor.evaluate.workers import forks, in_workers
from advisor.facts import FactValue

PARALLEL_FROM = 200  # below this many files or cases, worker start-up costs more than it saves
CHUNKS_PER_JOB = 16  # small chunks keep the workers busy to the end and move the progress bar
MAX_CHUNK = 100  # a worker holds two chunks at the end: small ones keep the last one from waiting long

Progress = Callable[[str, int, int], None]  # (stage, done, total)
T = TypeVar("T")
R = TypeVar("R")


def run_cases(
    cases: Sequence[CaseInput],
    rules: Path | None = None,
    *,
    jobs: int = 1,
    parallel_from: int = PARALLEL_FROM,
    progress: Progress | None = None,
    stage: str = "evaluating",
    traces: bool = False,
    judged: bool = True,
) -> list[Verdict]:
    """Run every case through the knowledge base in ``rules``; return the verdicts in case order.

    Each verdict says how clear its advice is (``judged``, as ``advisor advise`` does), in the worker.
    """
    work = [(resolved(rules), traces, judged, c.facts, c.contested) for c in cases]
    if in_parallel(len(work), jobs, parallel_from):
        before_forking(rules)
    return spread(run_chunk, work, jobs, parallel_from, progress, stage)


Contested = tuple[tuple[str, tuple[FactValue, ...]], ...]
# rules, keep the trace?, judge the confidence?, facts, contested
Work = tuple[Path | None, bool, bool, dict[str, FactValue], Contested]


def run_chunk(work: Sequence[Work]) -> list[Verdict]:
    """Run a chunk of cases with this process's engine, computing each distinct set of facts once."""
    seen: dict[tuple[Any, ...], Verdict] = {}
    verdicts = []
    for rules, traces, judged, facts, contested in work:
        key = (rules, traces, judged, contested, *facts.items())
        if key not in seen:
            engine = get_engine(rules)
            seen[key] = verdict(engine, facts, trace=traces, contested=contested, judged=judged)
        verdicts.append(seen[key])
    return verdicts


def verdict(
    engine: Engine,
    facts: dict[str, FactValue],
    *,
    trace: bool = False,
    contested: Contested = (),
    judged: bool = True,
) -> Verdict:
    """Run the engine on one case's facts (over every reading of contested ones) and keep what
    evaluation needs: with ``judged``, how clear the advice is, exactly as ``advisor advise`` says."""
    shares: dict[str, float] = {}
    sampled = False
    if contested:
        shares, sampled, facts = reading_shares(engine.kb, facts, dict(contested))
    run = engine.run(facts, trace=trace)
    found = (
        run.outcome,
        run.deciding_rule,
        run.firings if trace else (),
        tuple(shares.items()),
        sampled,
    )
    beliefs = tuple(run.beliefs.items()) if trace else ()
    if not judged:
        return Verdict(*found, beliefs=beliefs)
    # as Recommendation.confidence, with the one-notch check's fast paths (masks.hinges, over the readings)
    runner_up, margin = lead(run.beliefs, run.outcome)
    hinges_on = hinges_over_readings(engine.kb, run.facts, run.outcome, dict(contested))
    judgement = clarity(margin, outcome=run.outcome, readings=shares, hinges_on=hinges_on)
    return Verdict(*found, judgement, runner_up, margin, hinges_on, beliefs)


def spread(
    function: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    jobs: int,
    parallel_from: int,
    progress: Progress | None,
    stage: str,
) -> list[R]:
    """Apply a chunk function to all items, across worker processes for big batches, in order."""
    parallel = in_parallel(len(items), jobs, parallel_from)
    size = _chunk_size(len(items), jobs if parallel else 1)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    if progress:
        progress(stage, 0, len(items))
    outputs: Generator[list[R], None, None]
    outputs = in_workers(function, chunks, jobs) if parallel else (function(chunk) for chunk in chunks)
    done: list[R] = []
    try:
        for output in outputs:
            done += output
            if progress:
                progress(stage, len(done), len(items))
    finally:  # an interruption, a signal, a failed worker: no worker may outlive the run
        outputs.close()
    return done


def before_forking(rules: Path | None) -> None:
    """Compile the engine once, here, when workers are forked: they inherit it (loky's compile their own)."""
    if forks():
        get_engine(resolved(rules))


def in_parallel(count: int, jobs: int, parallel_from: int) -> bool:
    """Return whether a batch of ``count`` items is spread over worker processes."""
    return jobs > 1 and count >= parallel_from and _chunk_size(count, jobs) < count


def _chunk_size(count: int, jobs: int) -> int:
    """Return a chunk size that balances the workers and still moves the progress bar."""
    if jobs == 1:
        return max(1, min(50, count))
    return max(1, min(MAX_CHUNK, math.ceil(count / (jobs * CHUNKS_PER_JOB))))


def default_jobs() -> int:
    """Return the number of CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def resolved(directory: Path | None) -> Path | None:
    """Return a rules directory as an absolute path, so that workers find it whatever their cwd."""
    return directory.resolve() if directory is not None else None
