"""The forked workers of big batches: each holds its next chunk while it runs one (queued ahead), yet
results come back in chunk order, a failure anywhere ends every worker at once, and a worker that
dies mid-queue is reported (``WorkerDied``); reading and running in one pass gives what reading,
then running, gives.

No timing is asserted: a deadline only keeps a broken run from hanging the suite.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from advisor.evaluate import collect, load_and_run, load_cases, run_cases
from advisor.evaluate.workers import AHEAD, WorkerDied, forks, in_workers
from advisor.facts import scales

import running

pytestmark = pytest.mark.skipif(
    not (forks() and Path("/proc/self/stat").exists()), reason="forked workers, seen through /proc (Linux)"
)


def children() -> list[int]:
    """Return the live (not zombie) processes whose parent is this one."""
    return running.children(zombies=False)


Item = tuple[str, int, str]  # a folder to note the chunk's start in, the chunk's number, what to do


def noted(chunk: Sequence[Item]) -> list[tuple[int, int]]:
    """Note in the folder that the chunk started; do what it says; return (chunk, worker's pid)."""
    folder, index, action = chunk[0]
    (Path(folder) / f"started-{index}").touch()
    if action == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    if action == "raise":
        raise ValueError(f"chunk {index} is bad")
    if action == "slow":  # the other worker runs several chunks meanwhile: results come back out of order
        deadline = time.monotonic() + 30
        while len(list(Path(folder).glob("started-*"))) < 6 and time.monotonic() < deadline:
            time.sleep(0.01)
    return [(index, os.getpid())]


def chunks(folder: Path, count: int, **actions: str) -> list[list[Item]]:
    return [[(str(folder), i, actions.get(f"c{i}", ""))] for i in range(count)]


def started(folder: Path) -> set[int]:
    return {int(p.name.split("-")[1]) for p in folder.glob("started-*")}


def test_results_come_back_in_chunk_order_when_a_later_chunk_finishes_first(tmp_path: Path) -> None:
    outputs = list(in_workers(noted, chunks(tmp_path, 8, c0="slow"), jobs=2))
    assert [index for [(index, _)] in outputs] == list(range(8))
    assert len({pid for [(_, pid)] in outputs}) == 2, "both workers ran chunks"
    assert children() == []


def test_each_worker_is_handed_its_next_chunk_before_it_hands_one_back(tmp_path: Path) -> None:
    """While the parent holds its first result and reads nothing more, each worker goes on to the
    chunk queued for it: AHEAD chunks a worker start without the parent's turn."""
    assert AHEAD == 2
    run = in_workers(noted, chunks(tmp_path, 10), jobs=2)
    try:
        assert [index for index, _ in next(run)] == [0]
        deadline = time.monotonic() + 30
        while not {0, 1, 2, 3} <= started(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert {0, 1, 2, 3} <= started(tmp_path)
    finally:
        run.close()
    assert children() == []


def test_a_worker_killed_with_a_chunk_queued_raises_worker_died_and_ends_the_others(tmp_path: Path) -> None:
    with pytest.raises(WorkerDied, match="chunk 2"):
        list(in_workers(noted, chunks(tmp_path, 12, c2="die"), jobs=2))
    assert children() == []
    assert not started(tmp_path) >= set(range(12)), "the batch stopped at the death"


def test_an_exception_in_a_worker_with_chunks_queued_is_raised_here_and_no_worker_is_left(
    tmp_path: Path,
) -> None:
    with pytest.raises(ValueError, match="chunk 1 is bad"):
        list(in_workers(noted, chunks(tmp_path, 12, c1="raise"), jobs=2))
    assert children() == []


def test_closing_the_results_early_kills_the_workers_and_their_queued_chunks(tmp_path: Path) -> None:
    run = in_workers(noted, chunks(tmp_path, 12), jobs=2)
    assert [index for index, _ in next(run)] == [0]
    assert len(children()) == 2, "the workers still hold chunks: they cannot have ended"
    run.close()
    assert children() == []


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_as_it_was_after_a_batch(tmp_path: Path, enabled: bool) -> None:
    (gc.enable if enabled else gc.disable)()
    try:
        assert [index for [(index, _)] in in_workers(noted, chunks(tmp_path, 4), jobs=2)] == [0, 1, 2, 3]
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


# --- reading and running in one pass ---------------------------------------------------------------


def _write_cases(folder: Path) -> None:
    """Single cases, a file of many (more than a chunk runs in the first pass) and a duplicate id."""
    table = scales()
    names = sorted(table)

    def case(i: int, prefix: str = "one") -> dict[str, object]:
        facts = {
            name: table[name].values[(i * (k + 1)) % len(table[name].values)] for k, name in enumerate(names)
        }
        return {"id": f"{prefix}-{i:03d}", "parties": ["A", "B"], "facts": facts, "expected": "alliance"}

    for i in range(40):
        (folder / f"one-{i:03d}.json").write_text(json.dumps(case(i)))
    (folder / "many.json").write_text(json.dumps([case(i, "many") for i in range(30)]))
    (folder / "twice.json").write_text(json.dumps(case(7)))  # the id of one-007: an error only
    (folder / "broken.yaml").write_text("id: [unclosed\n")


def test_one_pass_gives_what_reading_then_running_gives(tmp_path: Path) -> None:
    _write_cases(tmp_path)
    files, _ = collect([tmp_path])
    cases, errors = load_cases(files, jobs=1)
    verdicts = run_cases(cases, jobs=1)
    progress: list[tuple[str, int, int]] = []
    together = load_and_run(files, jobs=2, parallel_from=1, progress=lambda *call: progress.append(call))
    assert together == (cases, errors, verdicts)
    assert len(cases) == 70 and len(errors) == 2
    stages = [stage for stage, _, _ in progress]
    assert stages[0] == "reading and evaluating" and "evaluating" in stages, "many.json's rest: a second pass"
    assert children() == []
