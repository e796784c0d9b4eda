"""The hostile-input corpus against the real command: no crash, no hang, no lost case, no forged output.

The whole corpus (tests/hostile/corpus.py, over 100 kinds, generated into a
temporary folder) is slow, so it is marked ``slow`` and run by ``.ci/run``; a few
of its kinds, one per family, run in the default test run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from itertools import islice, product
from pathlib import Path

import pytest
import yaml

from advisor.facts import scales

from hostile.corpus import (
    KINDS,
    Kind,
    Outcome,
    case,
    environment,
    facts,
    mixed_batch,
    raw_controls,
    run,
    run_all,
)
from running import children, ctrl_c_heard

QUICK = [
    "deep block nesting (40,000 '- ')",
    "5,001-digit year",
    "lone surrogate in JSON",
    "FIFO as the case file",
    "newline forging a line",
    "C locale, no UTF-8",
    "standard output full",
    "--junit path that cannot be written",
]


def test_the_corpus_has_at_least_60_distinct_kinds() -> None:
    names = [k.name for k in KINDS]
    assert len(set(names)) == len(names) >= 60
    assert sum(k.batch for k in KINDS) >= 40  # bad case files that also go into the mixed batch


@pytest.mark.slow
@pytest.mark.parametrize("name", QUICK)
def test_a_kind_from_each_family_is_handled(tmp_path: Path, name: str) -> None:
    outcome = run(next(k for k in KINDS if k.name == name), tmp_path)
    assert outcome.problems == []
    assert_one_line_messages(outcome)


def assert_one_line_messages(outcome: Outcome) -> None:
    """Every line on standard error is the advisor's own one-line message (a usage error too)."""
    for line in outcome.stderr.decode("utf-8", "replace").splitlines():
        assert not line or line.startswith("advisor: "), line


def test_the_checks_catch_what_they_are_meant_to_catch() -> None:
    kind = KINDS[0]
    assert Outcome(kind, None, b"", b"").problems == ["hung (no exit within 60 s)"]
    assert Outcome(kind, -11, b"", b"").problems == ["killed by signal 11"]
    assert Outcome(kind, 70, b"", b"").problems == ["crashed (exit 70)"]
    assert Outcome(kind, 2, b"", b"Traceback (most recent").problems == ["printed a traceback"]
    assert raw_controls(b"a\x1b[2J") == ["ESC"]
    assert raw_controls("a\x9b2J".encode()) == ["C1 character"]
    assert raw_controls(b"a\x9b2J") == ["C1 byte"]
    assert raw_controls("caf\u00e9 \\x1b".encode()) == []
    assert raw_controls("a\x07b\u202ec".encode()) == ["BEL", "bidi control"]
    assert Outcome(Kind("w", KINDS[0].make, frozenset({0}), files=("b.md",)), 0, b"", b"").problems == [
        "did not write b.md"
    ]


FILES = [k.name for k in KINDS if k.files]


@pytest.mark.slow
@pytest.mark.parametrize("name", FILES)
def test_files_written_from_hostile_text_hold_no_raw_control(tmp_path: Path, name: str) -> None:
    """A brief, a gradebook or a class report shown with cat obeys nothing: controls are escaped."""
    outcome = run(next(k for k in KINDS if k.name == name), tmp_path)
    assert outcome.problems == []
    for file, data in outcome.written.items():
        text = data.decode()
        assert "\\x1b" in text and ("\\u202e" in text or "\\x07" in text), file
    if "g.csv" in outcome.written:
        rows = list(csv.DictReader(io.StringIO(outcome.written["g.csv"].decode())))
        assert rows[0]["student"].startswith("'=HYPERLINK(")  # text, not a formula
        assert all(float(row["score"]) >= 0 for row in rows)  # numbers stay numbers
    if "b.md" in outcome.written:
        assert outcome.written["b.md"].decode().startswith("# Brief: Title\\\\x1b\\[2J")


# --- the whole corpus (slow) ---------------------------------------------------------------


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> list[Outcome]:
    return run_all(tmp_path_factory.mktemp("corpus"))


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(KINDS)), ids=[k.name for k in KINDS])
def test_every_kind_exits_cleanly_with_the_right_status(outcomes: list[Outcome], index: int) -> None:
    outcome = outcomes[index]
    assert outcome.problems == []
    assert_one_line_messages(outcome)
    if outcome.status == 2:
        assert outcome.stderr.startswith(b"advisor: ")


@pytest.mark.slow
def test_no_raw_escape_or_c1_reaches_any_terminal_output(outcomes: list[Outcome]) -> None:
    scanned = [(o.kind.name, name, data) for o in outcomes for name, data in o.streams()]
    assert sum(len(data) for _, _, data in scanned) > 50_000  # the scan saw real output
    raw = [(kind, name, found) for kind, name, data in scanned for found in raw_controls(data)]
    assert raw == []


@pytest.mark.slow
def test_the_forged_line_and_the_escapes_are_shown_visibly(outcomes: list[Outcome]) -> None:
    by_name = {o.kind.name: o for o in outcomes}
    table = by_name["escapes in the evaluate table"].stdout.decode()
    assert "t\\x1b[1A\\x1b[2K" in table and "T\\n Accuracy: 41/41 (100%)" in table
    assert [line for line in table.splitlines() if line.startswith(" Accuracy")] == []
    assert "\\u202e" in by_name["bidi override in the id"].stdout.decode()


@pytest.mark.slow
def test_a_mixed_batch_loses_no_good_case(tmp_path: Path) -> None:
    outcome, good, found = mixed_batch(tmp_path)
    assert outcome.problems == []
    assert len(good) > 200 and good <= found
    errors = json.loads(outcome.stdout)["errors"]
    assert len({e["file"] for e in errors}) >= sum(k.batch for k in KINDS)


def big_batch(folder: Path) -> Path:
    """Write a case file long enough for a parallel run to last a few seconds.

    Every case has its own facts: evaluate runs identical facts once, so a batch that repeated a few
    sets (as one did) was over as soon as its workers started, and a signal could come too late.
    """
    names = ("threat_level", "shared_adversary", "power_asymmetry", "ratification_cost", "existing_ties")
    names += ("economic_interdependence", "value_alignment")  # 7,290 combinations
    combos = islice(product(*(scales()[n].values for n in names)), 6000)
    cases = [
        case(id=f"big-{i}", facts=facts(**dict(zip(names, combo, strict=True))))
        for i, combo in enumerate(combos)
    ]
    path = folder / "big.yaml"
    path.write_text(yaml.safe_dump(cases), encoding="utf-8")
    return path


def parallel_evaluation(batch: Path) -> subprocess.Popen[bytes]:
    """Start `advisor evaluate --jobs 2` on a batch in its own session, hearing Ctrl-C as at a terminal."""
    return subprocess.Popen(
        [sys.executable, "-m", "advisor", "evaluate", "--jobs", "2", str(batch)],
        env=environment({}),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=ctrl_c_heard,
    )


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_an_interrupted_parallel_evaluation_ends_every_worker(tmp_path: Path, signum: int) -> None:
    process = parallel_evaluation(big_batch(tmp_path))
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
        workers = children(process.pid)
    assert len(workers) >= 2, "the workers never started"
    process.send_signal(signum)
    try:
        _, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise
    assert process.returncode == 128 + signum
    assert err.decode().strip() == f"advisor: interrupted ({signal.Signals(signum).name})"
    time.sleep(0.5)
    assert [pid for pid in workers if alive(pid)] == []


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("delay", [0.0, 0.15, 0.3])
def test_ctrl_c_to_the_whole_group_as_the_workers_start_is_one_line(tmp_path: Path, delay: float) -> None:
    """Ctrl-C at a terminal reaches every process of the group, workers included, and may come while
    they are still starting (loky's workers, importing, printed their tracebacks 0.1-0.3 s after the
    first appeared): the user still sees one line, no worker's traceback, and no worker left."""
    process = parallel_evaluation(big_batch(tmp_path))
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while not workers and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
        workers = children(process.pid)
    assert workers, "no worker ever started"
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGINT)
    try:
        _, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise
    assert process.returncode == 130
    assert err.decode().strip() == "advisor: interrupted (SIGINT)"
    time.sleep(0.5)
    assert [pid for pid in workers + children(process.pid) if alive(pid)] == []


def test_kind_defaults_expect_invalid_input() -> None:
    assert Kind("x", lambda folder: []).expect == frozenset({2})
