"""Worker processes for big batches: forked from this process where it can fork, joblib's loky elsewhere.

A forked worker starts with everything this process holds (the imported libraries, the compiled
engine, the batch itself), so it is handed only the number of its next chunk and needs no start-up
of its own; a loky worker starts a new interpreter, imports the package and compiles its engine.
Fork is used on Linux, loky elsewhere. Either way results come back in chunk order, and the
workers end with the batch, at once (killed) when it is interrupted or fails: none outlives the run.

A forked worker gets a pipe each way of its own and holds ``AHEAD`` chunks at a time: the one it
runs and the next, so that it never waits while the parent receives a result and hands it more.
It ignores Ctrl-C (its parent hears it too, and kills it); it holds no end of another worker's
pipes, so that if the parent dies it sees the end of its input, or cannot hand its result back,
and ends.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import sys
from collections import deque
from collections.abc import Callable, Generator, Sequence
from contextlib import suppress
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
Chunks = Sequence[Sequence[Any]]


def forks() -> bool:
    """Return whether workers are forked from this process (Linux), rather than started anew (loky)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def in_workers(
    function: Callable[[Sequence[T]], list[R]], chunks: Sequence[Sequence[T]], jobs: int
) -> Generator[list[R], None, None]:
    """Yield the function's output for each chunk, in chunk order, computed in ``jobs`` worker processes.

    The workers end when the iterator ends or is closed, however that happens.
    """
    if forks():
        return _forked(function, chunks, jobs)
    return _loky(function, chunks, jobs)


class WorkerDied(RuntimeError):
    """A worker process ended without handing back its chunk's results (killed, or out of memory)."""


_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
Worker = tuple[BaseProcess, Connection, Connection]  # the process, its tasks (to it), its results (from it)
AHEAD = 2  # chunks a forked worker holds at once: the one it runs, and the next one


def _forked(
    function: Callable[[Sequence[T]], list[R]], chunks: Sequence[Sequence[T]], jobs: int
) -> Generator[list[R], None, None]:
    workers: list[Worker] = []
    finished = False
    collecting = gc.isenabled()
    try:
        for _ in range(min(jobs, len(chunks))):
            _fork(function, chunks, workers)
        # Meanwhile this process only gathers results, plain data that forms no cycle: the collector
        # would go through everything it holds, again and again as they pile up, and find nothing.
        gc.disable()
        pending = iter(range(len(chunks)))
        held: dict[Connection, tuple[Worker, deque[int]]] = {w[2]: (w, deque()) for w in workers}
        told_to_end: set[Connection] = set()

        def hand(worker: Worker) -> None:
            """Hand a worker the next chunk, or tell it to end once it has run those it holds."""
            index = next(pending, None)
            if index is None and worker[2] in told_to_end:
                return
            if index is None:
                told_to_end.add(worker[2])
            else:
                held[worker[2]][1].append(index)
            with suppress(OSError):  # a dead worker: reading the results it holds says so (WorkerDied)
                worker[1].send(index)  # None: no more work, the worker ends

        for _ in range(AHEAD):  # in turn, so that the first chunks come back first
            for worker in workers:
                hand(worker)
        done: dict[int, list[R]] = {}
        for index in range(len(chunks)):
            while index not in done:
                busy = [
                    (back, worker, chunks_held) for back, (worker, chunks_held) in held.items() if chunks_held
                ]
                ready = wait([end for back, worker, _ in busy for end in (back, worker[0].sentinel)])
                for back, worker, chunks_held in busy:
                    if back in ready or worker[0].sentinel in ready:
                        chunk = chunks_held.popleft()  # a worker hands its chunks back in the order given
                        done[chunk] = _result(back, chunk)
                        hand(worker)
            yield done.pop(index)
        finished = True
    finally:
        if collecting:
            gc.enable()
        for process, to, back in workers:
            if not finished:
                process.kill()
            process.join()
            to.close()
            back.close()


def _fork(
    function: Callable[[Sequence[T]], list[R]], chunks: Sequence[Sequence[T]], workers: list[Worker]
) -> None:
    """Start one more worker, with a pipe each way; it closes its copies of the parent's ends of every pipe.

    Signals wait until the worker is listed (and so will be ended) and has its own handlers.
    """
    context = multiprocessing.get_context("fork")
    tasks, to = context.Pipe(duplex=False)  # (reading end, writing end)
    back, results = context.Pipe(duplex=False)
    theirs = [to, back, *(end for _, *ends in workers for end in ends)]
    process = context.Process(target=_serve, args=(function, chunks, tasks, results, theirs), daemon=True)
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        process.start()
        workers.append((process, to, back))
    finally:
        tasks.close()
        results.close()
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _result(back: Connection, chunk: int) -> Any:
    """Return a chunk's results from a worker's pipe; raise what the function raised, or WorkerDied."""
    try:
        ok, value = back.recv()
    except (EOFError, OSError):
        raise WorkerDied(f"a worker process ended before finishing its work (chunk {chunk})") from None
    if not ok:
        raise value
    return value


def _serve(
    function: Callable[[Sequence[Any]], list[Any]],
    chunks: Chunks,
    tasks: Connection,
    results: Connection,
    theirs: list[Connection],
) -> None:
    """Run chunks as they are handed over until told to stop or the parent is gone; then exit at once.

    The parent hears Ctrl-C too (the terminal sends it to every process of the group) and kills
    its workers; SIGTERM ends a worker at once. The worker exits without flushing anything: what
    it inherited buffered is its parent's to write. (The parent runs no other thread when it forks:
    the progress bar is drawn without one, ``advisor.render.progress``.)
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in _SIGNALS[1:]:
        signal.signal(signum, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
    gc.freeze()  # what it inherited lives as long as it does: the collector need not go through it again
    try:
        for end in theirs:
            end.close()
        while (index := tasks.recv()) is not None:
            try:
                output: tuple[bool, Any] = (True, function(chunks[index]))
            except Exception as exc:
                output = (False, exc)
            try:
                results.send(output)
            except (pickle.PicklingError, TypeError, AttributeError) as exc:
                results.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
    except (EOFError, OSError):
        pass  # the parent is gone
    finally:
        os._exit(0)


def _loky(
    function: Callable[[Sequence[T]], list[R]], chunks: Sequence[Sequence[T]], jobs: int
) -> Generator[list[R], None, None]:
    from joblib import Parallel, delayed

    run = Parallel(n_jobs=min(jobs, len(chunks)), backend="loky", return_as="generator")
    finished = False
    try:
        yield from run(delayed(function)(chunk) for chunk in chunks)
        finished = True
    finally:
        if not finished:  # interrupted, or a chunk failed: no worker may outlive the run
            _stop_loky_workers()


def _stop_loky_workers() -> None:
    """End loky's worker processes (joblib's reusable executor), if any were started."""
    from joblib.externals.loky import reusable_executor

    executor = getattr(reusable_executor, "_executor", None)
    if executor is not None:
        executor.shutdown(wait=True, kill_workers=True)
