"""Batch evaluation: fixtures good, bad and mixed; hostile files; JSON, JUnit, exit statuses; --against.

The fixture cases (``tests/fixtures/evaluate``) are fictional dyads with textbook
facts, so that their expectations hold while the real case library evolves.

Golden files: ``UPDATE_GOLDEN=1 uv run pytest tests/test_evaluate.py`` rewrites
``tests/fixtures/evaluate/golden/*.txt``; review the diff before committing it.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from advisor.cases import CaseError
from advisor.engine import Firing, advise
from advisor.evaluate import (
    CaseInput,
    CaseResult,
    Evaluation,
    Verdict,
    VerdictChange,
    collect,
    difference,
    evaluate,
)
from advisor.facts import scales
from advisor.outcomes import OUTCOME_IDS
from advisor.render.evaluation import EvaluationReport
from advisor.render.junit import junit_xml
from advisor.render.progress import LazyProgress
from advisor.rulebase import KnowledgeBase, Rule, Source, load_knowledge_base

from running import advisor, check_golden, in_process, trimmed

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "evaluate"
GOOD, BAD, MIXED, MISMATCH = (FIXTURES / name for name in ("good", "bad", "mixed", "mismatch"))
GOLDEN = FIXTURES / "golden"
ALLIANCE = GOOD / "alliance.yaml"


cli = in_process


def ids(evaluation: Evaluation) -> list[str]:
    return [r.case.id for r in evaluation.results]


# --- the evaluator on the fixture directories ------------------------------------------


def test_good_directory_evaluates_every_case_in_file_order() -> None:
    evaluation = evaluate([GOOD], jobs=1)
    assert not evaluation.errors
    assert ids(evaluation) == [
        "ruritania-freedonia-1950",  # alliance.yaml
        "vaccine-compact-2001",  # coalition.json
        "sylvania-freedonia-1998",  # nested/deeper/pair.yml, first of two
        "grand-fenwick-sylvania-2017",
    ]
    assert [r.match for r in evaluation.results] == [True, True, True, None]
    assert evaluation.results[0].case.file == str(ALLIANCE)
    assert evaluation.summary.to_dict() == {
        "cases": 4,
        "with_expected": 3,
        "matched": 3,
        "errors": 0,
        "accuracy": 1.0,
        "by_confidence": {
            "clear": {"cases": 2, "matched": 2},
            "leaning": {"cases": 1, "matched": 1},
            "close": {"cases": 0, "matched": 0},
        },
    }
    assert [r.verdict.confidence for r in evaluation.results] == ["clear", "clear", "leaning", "leaning"]
    assert evaluation.status == 0


BAD_FILES = {
    "bad-expected.yaml": ("bad-expected", "line 17: expected: 'treaty' is not an outcome id"),
    "duplicate-key.yaml": (None, "line 17: duplicate key 'threat_level'"),
    "empty.yaml": (None, "the file is empty"),
    "missing-fact.yaml": ("missing-fact", "facts.entrapment_risk: missing; one of low, moderate, high"),
    "python-tag.yaml": (None, "line 3: the tag 'tag:yaml.org,2002:python/object/apply:os.system'"),
    "scalar.yaml": (None, "a case file holds one case (a mapping) or a list of cases"),
    "syntax.yaml": (None, "line 3, column 6: invalid YAML"),
    "trailing-comma.json": (None, "line 4, column 1: invalid JSON"),
    "unknown-key.yaml": ("unknown-key", "line 3: remarks: unknown key"),
    "unknown-value.yaml": ("unknown-value", "facts.threat_level: 'severe' is not one of none, low"),
    "wrong-type.yaml": ("wrong-type", "line 13: facts.rival_ties: 'false' is not a boolean"),
}


def test_bad_directory_gives_one_clear_error_per_file_and_no_result() -> None:
    evaluation = evaluate([BAD], jobs=1)
    assert evaluation.results == ()
    assert sorted(Path(e.file).name for e in evaluation.errors) == sorted(BAD_FILES)
    for error in evaluation.errors:
        case, message = BAD_FILES[Path(error.file).name]
        assert error.case == case
        assert message in error.message
    assert evaluation.status == 2


def test_mixed_directory_evaluates_the_valid_cases_and_reports_the_rest() -> None:
    evaluation = evaluate([MIXED], jobs=1)
    assert ids(evaluation) == ["mixed-good", "list-first", "list-last", "twin"]  # the second twin: an error
    assert [Path(r.case.file).name for r in evaluation.results][-1:] == ["twin.yaml"]
    errors = {(Path(e.file).name, e.case): e.message for e in evaluation.errors}
    assert len(errors) == 3
    assert "line 3, column 6: invalid YAML" in errors[("broken.yaml", None)]
    assert "facts.moon_phase: unknown fact" in errors[("list.yaml", "list-bad")]
    duplicate = errors[("twin.yaml", "twin")]
    assert str(MIXED / "sub" / "twin.yaml") in duplicate and "this one is not evaluated" in duplicate
    assert evaluation.status == 2


def test_a_failed_expectation_gives_status_1() -> None:
    evaluation = evaluate([MISMATCH], jobs=1)
    assert [r.match for r in evaluation.results] == [True, False]
    assert not evaluation.errors and evaluation.status == 1


def test_a_duplicate_id_in_one_file_is_an_error_and_only_the_first_case_is_evaluated(tmp_path: Path) -> None:
    case = ALLIANCE.read_text()
    body = "\n".join("  " + line for line in case.splitlines())
    (tmp_path / "two.yaml").write_text(f"-\n{body}\n-\n{body}\n")
    evaluation = evaluate([tmp_path], jobs=1)
    assert ids(evaluation) == ["ruritania-freedonia-1950"]
    [error] = evaluation.errors
    assert error.case == "ruritania-freedonia-1950" and "earlier in this file" in error.message
    assert (evaluation.summary.cases, evaluation.summary.errors) == (1, 1)
    from advisor.render.junit import junit_xml

    names = re.findall(r'<testcase [^>]*name="([^"]*)"', junit_xml(evaluation))
    assert names == ["ruritania-freedonia-1950", "ruritania-freedonia-1950 (2)"]


# --- inputs: files, directories, globs ----------------------------------------------------


def test_inputs_are_files_directories_and_globs_each_file_once() -> None:
    files, errors = collect([ALLIANCE, GOOD, f"{GOOD}/*.json", f"{FIXTURES}/**/pair.yml"])
    assert not errors
    assert [Path(f).name for f in files] == ["alliance.yaml", "coalition.json", "pair.yml"]


def test_missing_paths_empty_directories_and_empty_globs_are_errors(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a case file")
    files, errors = collect([tmp_path / "nowhere.yaml", tmp_path, f"{tmp_path}/*.yaml", ALLIANCE])
    assert files == [str(ALLIANCE)]
    assert [e.message for e in errors] == [
        "no such file or directory",
        "no case files (.yaml, .yml, .json) in this directory",
        "no case files match this pattern",
    ]


# --- hostile and broken files: each one clear error, the batch goes on --------------------


def _deep(depth: int) -> str:
    return "facts: " + "[" * depth + "]" * depth + "\n"


def _alias_bomb() -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


HOSTILE: dict[str, tuple[bytes, str]] = {
    "empty.yaml": (b"", "the file is empty"),
    "blank.yaml": (b"  \n\n", "the file is empty"),
    "junk.yaml": (bytes(range(256)) * 4, "not UTF-8"),
    "nul.yaml": (b"id: x\x00\x01\x02\nfacts: {}\n", "binary data"),
    "latin1.yaml": ("id: café\n".encode("latin-1"), "not UTF-8 text (byte 0xe9"),
    "duplicate.json": (b'{"id": "a", "id": "b"}', "duplicate key 'id'"),
    "huge.yaml": (b"notes: " + b"x" * 5_100_000 + b"\n", "larger than 5 MB"),
    "deep.yaml": (_deep(500).encode(), "nested more than"),
    "bomb.yaml": (_alias_bomb().encode(), "alias bomb"),
    "object.yaml": (b"!!python/object/new:os.system [echo hacked]\n", "is not allowed"),
    "name.yaml": (b"facts: !!python/name:os.system\n", "is not allowed"),
    "unclosed.yaml": (b"id: x\nparties: [a, b\n", "invalid YAML"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_gives_one_clear_error_and_the_batch_goes_on(tmp_path: Path, name: str) -> None:
    content, message = HOSTILE[name]
    (tmp_path / name).write_bytes(content)
    shutil.copy(ALLIANCE, tmp_path / "alliance.yaml")
    evaluation = evaluate([tmp_path], jobs=1)
    assert ids(evaluation) == ["ruritania-freedonia-1950"]
    [error] = evaluation.errors
    assert error.file == str(tmp_path / name) and message in error.message

    result = cli("evaluate", tmp_path)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"advisor: {tmp_path / name}: "), result.stderr
    assert lines[1] == "advisor: 1 of 2 files could not be read (exit status 2)"
    assert message in lines[0] and "ruritania-freedonia-1950" in result.stdout


def test_a_yaml_tag_never_constructs_anything(tmp_path: Path) -> None:
    marker = tmp_path / "constructed"
    payload = f"!!python/object/apply:os.system ['touch {marker}']\n"
    (tmp_path / "attack.yaml").write_text(payload)
    (tmp_path / "list.yaml").write_text(f"- {payload}")
    evaluation = evaluate([tmp_path], jobs=1)
    assert len(evaluation.errors) == 2 and not marker.exists()


def test_a_big_valid_list_is_evaluated_whole(tmp_path: Path) -> None:
    body = "\n".join("  " + line for line in ALLIANCE.read_text().splitlines() if not line.startswith("id:"))
    (tmp_path / "many.yaml").write_text(f"-\n{body}\n" * 300)
    evaluation = evaluate([tmp_path], jobs=1)
    assert not evaluation.errors and len(evaluation.results) == 300
    assert evaluation.results[-1].case.id == "many#300"  # the default id names the place in the list


# --- parallel runs --------------------------------------------------------------------------


def write_random_cases(directory: Path, count: int, seed: int = 7) -> None:
    """Write ``count`` random valid cases, one file each."""
    import random

    rng = random.Random(seed)
    for i in range(count):
        facts = {name: rng.choice(scale.values) for name, scale in scales().items()}
        case = {"id": f"random-{i:03d}", "parties": ["A", "B"], "facts": facts}
        case["expected"] = rng.choice(OUTCOME_IDS)
        (directory / f"random-{i:03d}.json").write_text(json.dumps(case))


@pytest.mark.slow
def test_parallel_and_sequential_runs_give_identical_results(tmp_path: Path) -> None:
    write_random_cases(tmp_path, 120)
    paths = [GOOD, MIXED, tmp_path]
    sequential = evaluate(paths, jobs=1)
    parallel = evaluate(paths, jobs=2, parallel_from=1)
    assert parallel.to_dict() == sequential.to_dict()
    assert len(parallel.results) == 128 and len(parallel.errors) == 3  # a duplicate id: an error only


@pytest.mark.slow
@pytest.mark.parametrize("one_file", [False, True])
def test_progress_reports_every_stage_up_to_its_total(tmp_path: Path, one_file: bool) -> None:
    """Many files are read and run in one pass (one stage, counting files); few are read, then run."""
    write_random_cases(tmp_path, 30)
    if one_file:
        cases = [json.loads(path.read_text()) for path in sorted(tmp_path.glob("*.json"))]
        shutil.rmtree(tmp_path)
        tmp_path.mkdir()
        (tmp_path / "all.json").write_text(json.dumps(cases))
    calls: list[tuple[str, int, int]] = []
    evaluate([tmp_path], jobs=2, parallel_from=2, progress=lambda *call: calls.append(call))
    stages = ("reading", "evaluating") if one_file else ("reading and evaluating",)
    assert list(dict.fromkeys(s for s, _, _ in calls)) == list(stages)
    for stage in stages:
        done = [d for s, d, _ in calls if s == stage]
        total = 1 if stage == "reading" else 30
        assert done[0] == 0 and done[-1] == total and done == sorted(done)


def test_the_lazy_progress_bar_shows_only_after_its_delay() -> None:
    out = io.StringIO()
    quick = LazyProgress(Console(file=out, force_terminal=True, width=60), delay=60)
    quick("evaluating", 5, 10)
    quick.close()
    assert out.getvalue() == ""
    out = io.StringIO()
    slow = LazyProgress(Console(file=out, force_terminal=True, width=60), delay=0)
    slow("evaluating", 5, 10)
    import time

    time.sleep(0.3)
    slow.close()
    assert "evaluating" in out.getvalue() and "5/10" in out.getvalue()


def test_workers_are_forked_from_a_process_running_no_other_thread_under_a_progress_bar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forking with threads running may deadlock the child (Python 3.12 warns: DeprecationWarning);
    the bar, shown from the start here, runs none (no timer, no refresh thread)."""
    import threading

    from advisor.evaluate import workers

    if not workers.forks():
        pytest.skip("workers are forked only on Linux")
    write_random_cases(tmp_path, 40)
    threads: list[list[str]] = []
    fork = workers._fork

    def counted(*args: Any) -> None:
        threads.append([t.name for t in threading.enumerate() if t is not threading.main_thread()])
        fork(*args)

    monkeypatch.setattr(workers, "_fork", counted)
    out = io.StringIO()
    with LazyProgress(Console(file=out, force_terminal=True, width=60), delay=0) as bar:
        evaluate([tmp_path], jobs=2, parallel_from=1, progress=bar)
    # two workers at least, each forked from a process running no other thread
    assert len(threads) >= 2 and all(names == [] for names in threads)
    assert "evaluating" in out.getvalue() and "40/40" in out.getvalue()


@pytest.mark.slow
def test_the_library_evaluated_at_a_terminal_with_workers_gives_no_fork_warning(tmp_path: Path) -> None:
    """At a terminal the bar is up while the workers are forked: Python 3.12 and later would warn
    that the process is multi-threaded (DeprecationWarning) if the bar ran a thread. 6,000 more
    cases beside the library keep the run longer than the bar's delay on a fast machine."""
    import pexpect

    from hostile.corpus import write_cases
    from running import ctrl_c_heard, terminal_env

    write_cases(tmp_path / "more", 6000)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "advisor", "evaluate", "cases/library", str(tmp_path / "more"), "--jobs", "2"],
        cwd=str(ROOT),
        env={**terminal_env(100), "PYTHONWARNINGS": "always::DeprecationWarning"},
        dimensions=(40, 100),
        encoding="utf-8",
        timeout=120,
        preexec_fn=ctrl_c_heard,
    )
    shown = child.read()
    child.close()
    assert child.exitstatus == 1, shown  # a third of the library disagrees with its expectation
    assert "6700/6700" in shown  # the bar was up
    assert "Warning" not in shown and "fork()" not in shown, shown[-2000:]


@pytest.mark.slow
def test_the_cli_runs_a_big_batch_in_parallel(tmp_path: Path) -> None:
    write_random_cases(tmp_path, 250)
    done = advisor("evaluate", tmp_path, "--json", "--jobs", "2")
    assert done.returncode == 1, done.stderr  # random expectations: some fail
    assert re.fullmatch(
        r"advisor: \d+ of 250 cases disagree with their expected outcome \(exit status 1\)\n", done.stderr
    )
    document = json.loads(done.stdout)
    assert [r["case"] for r in document["results"]] == [f"random-{i:03d}" for i in range(250)]


# --- JSON: the documented shape --------------------------------------------------------------

OUTCOME = set(OUTCOME_IDS)
RESULT_SCHEMA = {
    "case": str,
    "file": str,
    "recommendation": OUTCOME,
    "expected": OUTCOME | {None},
    "match": {True, False, None},
    "label": str,
    "deciding_rule": str,
    "confidence": {"clear", "leaning", "close"},
    "runner_up": OUTCOME | {None},
    "margin": (float, int),
    "hinges_on": [str],
    "title": (str, type(None)),
    "parties": [str],
    "year": (int, type(None)),
}
SCHEMA = {
    "results": [RESULT_SCHEMA],
    "errors": [{"file": str, "message": str}],
    "summary": {
        "cases": int,
        "with_expected": int,
        "matched": int,
        "errors": int,
        "accuracy": (float, int),
        "by_confidence": {level: {"cases": int, "matched": int} for level in ("clear", "leaning", "close")},
    },
}


def check(value: Any, schema: Any, where: str = "$") -> None:
    """Assert that a JSON value has a schema's shape: dict keys, list items, allowed values or types."""
    if isinstance(schema, dict):
        assert isinstance(value, dict), f"{where}: not an object"
        assert not schema.keys() - value.keys(), f"{where}: missing {schema.keys() - value.keys()}"
        for key, sub in schema.items():
            check(value[key], sub, f"{where}.{key}")
    elif isinstance(schema, list):
        assert isinstance(value, list), f"{where}: not an array"
        for i, item in enumerate(value):
            check(item, schema[0], f"{where}[{i}]")
    elif isinstance(schema, set):
        assert value in schema, f"{where}: {value!r} not allowed"
    else:
        assert isinstance(value, schema) and not isinstance(value, bool), f"{where}: {value!r}"


def test_json_has_the_documented_shape_and_stdout_holds_only_it() -> None:
    result = cli("evaluate", GOOD, MIXED, "--json")
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    check(document, SCHEMA)
    assert {"file", "message", "case"} >= {k for e in document["errors"] for k in e}
    summary = document["summary"]
    assert summary["cases"] == len(document["results"]) == 8  # the second twin is an error only
    assert summary["with_expected"] == sum(r["match"] is not None for r in document["results"])
    assert summary["matched"] == sum(r["match"] is True for r in document["results"])
    assert summary["errors"] == len(document["errors"]) == 3
    nothing_expected = [r for r in document["results"] if r["expected"] is None]
    assert nothing_expected and all(r["match"] is None for r in nothing_expected)
    errors, closing = result.stderr.splitlines()[:-1], result.stderr.splitlines()[-1]
    assert len(errors) == 3  # the errors, as lines, on stderr, then the closing line
    assert closing.startswith("advisor: ") and closing.endswith("(exit status 2)")


def test_json_carries_every_key_of_the_facts_md_example(shared: Path) -> None:
    text = (shared / "FACTS.md").read_text()
    section = text[text.index("## Machine-readable results") :]
    block = re.search(r"```jsonc?\n(.*?)```", section, re.DOTALL)
    assert block is not None
    example = json.loads(re.sub(r"(?m)\s+//.*$", "", block.group(1)))  # JSON with comments
    document = evaluate([GOOD, BAD / "unknown-value.yaml"], jobs=1).to_dict()
    assert example.keys() <= document.keys()
    assert example["results"][0].keys() <= document["results"][0].keys()
    assert example["errors"][0].keys() <= document["errors"][0].keys()
    assert example["summary"].keys() <= document["summary"].keys()


# --- JUnit XML -------------------------------------------------------------------------------


def test_junit_has_one_testcase_per_case_and_per_invalid_input(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    result = cli("evaluate", GOOD, MISMATCH, BAD / "syntax.yaml", "--junit", report)
    assert result.exit_code == 2  # invalid input outranks the failed expectation
    root = ET.parse(report).getroot()
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert len(cases) == 4 + 2 + 1
    assert suite.get("tests") == "7" and suite.get("failures") == "1" and suite.get("errors") == "1"
    assert suite.get("skipped") == "1"
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["wrong-expectation"]
    failure = failed[0].find("failure")
    assert failure is not None and "expected alliance" in (failure.get("message") or "")
    errored = [c for c in cases if c.find("error") is not None]
    assert [c.get("file") for c in errored] == [str(BAD / "syntax.yaml")]
    skipped = [c.get("name") for c in cases if c.find("skipped") is not None]
    assert skipped == ["grand-fenwick-sylvania-2017"]


def test_junit_escapes_markup_and_shows_controls_as_typed() -> None:
    # what XML 1.0 cannot carry, and terminal controls, are escaped visibly (never dropped)
    case = CaseInput("a&b<c>.yaml", 'x"\x01y\ufffe', None, (), None, "alliance", {})
    evaluation = Evaluation(
        (CaseResult(case, Verdict("strategic", "STR-01")),),
        (CaseError("bad\x02.yaml", "line 1: <tag> & \x1b[31m", "z"),),
        Path("rules"),
    )
    root = ET.fromstring(junit_xml(evaluation))
    cases = root.iter("testcase")
    first, second = next(cases), next(cases)
    assert first.get("name") == 'x"\\x01y\\ufffe' and first.get("file") == "a&b<c>.yaml"
    error = second.find("error")
    assert error is not None and error.get("message") == "line 1: <tag> & \\x1b[31m"
    assert second.get("classname") == "bad\\x02.yaml" and "\x1b" not in (error.text or "")


def test_an_unwritable_junit_file_is_one_line_and_status_2(tmp_path: Path) -> None:
    result = cli("evaluate", GOOD, "--junit", tmp_path / "no" / "such" / "dir.xml")
    assert result.exit_code == 2
    assert result.stderr.startswith("advisor: --junit ") and len(result.stderr.splitlines()) == 1


# --- exit statuses and the knowledge base ----------------------------------------------------


@pytest.mark.parametrize(
    ("paths", "status"),
    [((GOOD,), 0), ((MISMATCH,), 1), ((BAD,), 2), ((MIXED,), 2), ((GOOD, "no/such/dir"), 2)],
)
def test_exit_status(paths: tuple[Path, ...], status: int) -> None:
    result = cli("evaluate", *paths)
    assert result.exit_code == status, result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_an_invalid_knowledge_base_is_one_line_and_status_2(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "99-broken.yaml").write_text("rules: [\n")
    for option in ("--rules", "--against"):
        result = cli("evaluate", GOOD, option, rules)
        assert result.exit_code == 2 and result.stdout == ""
        [line] = result.stderr.splitlines()
        assert line.startswith(f"advisor: {option}: invalid knowledge base: ")
        assert "99-broken.yaml: line 2" in line and "invalid YAML" in line
    result = cli("evaluate", GOOD, "--rules", tmp_path / "nowhere")
    assert result.exit_code == 2 and "no such rules directory" in result.stderr


def test_another_rules_directory_is_used(tmp_path: Path) -> None:
    rules = _rules_copy(tmp_path)
    baseline = _baseline(load_knowledge_base())
    _make_certain(rules, baseline, "coalition")
    result = cli("evaluate", GOOD, "--rules", rules, "--json")
    document = json.loads(result.stdout)
    assert {r["recommendation"] for r in document["results"]} == {"coalition"}
    assert result.exit_code == 1


# --- rendering -------------------------------------------------------------------------------


def test_names_from_files_are_shown_as_typed_never_as_markup() -> None:
    result = cli("evaluate", MIXED, columns=200)
    assert "[bold red]x[/]" in result.stdout
    assert "[link=https://example.org]Ruritania[/link]" in result.stdout


def _synthetic() -> Evaluation:
    """Return a small evaluation made by hand: a hit, a miss, no expectation, an error, a change."""

    def case(id: str, expected: str | None, title: str | None = None) -> CaseInput:
        return CaseInput(f"cases/{id}.yaml", id, title, ("Ruritania", "Freedonia"), 1950, expected, {})

    hit = CaseResult(
        case("hit-1950", "alliance", "[bold red]x[/]"), Verdict("alliance", "ALL-01", confidence="clear")
    )
    miss = CaseResult(case("miss-1960", "comprehensive"), Verdict("strategic", "STR-02", confidence="close"))
    free = CaseResult(case("free-1970", None), Verdict("coalition", "COA-01", confidence="leaning"))
    error = CaseError("cases/broken.yaml", "line 3, column 6: invalid YAML: expected ',' or ']'")
    after = Verdict("comprehensive", "CSP-01")
    change = VerdictChange(miss.case, miss.verdict, after, ("STR-02", "CSP-01"), ("CSP-01",))
    return Evaluation(
        (hit, miss, free),
        (error,),
        Path("rules"),
        against=(hit, CaseResult(miss.case, change.new), free),
        changes=(change,),
        other_rules=Path("edited-rules"),
    )


def render(renderable: Any, width: int) -> str:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, highlight=False).print(renderable)
    return trimmed(out.getvalue())


@pytest.mark.parametrize("width", [80, 160])
def test_the_report_matches_its_golden_file(width: int) -> None:
    evaluation = _synthetic()
    plain = Evaluation(evaluation.results, evaluation.errors, evaluation.rules)
    text = render(EvaluationReport(plain), width)
    check_golden(GOLDEN / f"report-{width}.txt", text)
    assert "Accuracy: 1/2 (50%)" in text and "1 without" in text and "1 invalid input" in text
    assert "Clear: 1 of 1 right (100%) · leaning: none · close: 0 of 1 (0%)" in text
    assert ("[bold red]x[/]" in text) == (width == 160)  # titles show on very wide consoles


@pytest.mark.parametrize("width", [80, 140])
def test_the_changes_report_matches_its_golden_file(width: int) -> None:
    text = render(EvaluationReport(_synthetic()), width)
    check_golden(GOLDEN / f"changes-{width}.txt", text)
    assert "1 of 3 cases change." in text and re.search(r"CSP-01\s+\(edited\)", text)


@given(
    st.lists(
        st.tuples(st.sampled_from([*OUTCOME_IDS, None]), st.sampled_from(OUTCOME_IDS)),
        max_size=40,
    )
)
def test_the_confusion_matrix_and_recall_agree_with_the_summary(pairs: list[tuple[str | None, str]]) -> None:
    results = tuple(
        CaseResult(CaseInput("f", f"c{i}", None, (), None, expected, {}), Verdict(got, "R-01"))
        for i, (expected, got) in enumerate(pairs)
    )
    evaluation = Evaluation(results, (), Path("rules"))
    matrix, summary = evaluation.confusion(), evaluation.summary
    assert sum(sum(row.values()) for row in matrix.values()) == summary.with_expected
    assert sum(matrix[o][o] for o in OUTCOME_IDS) == summary.matched
    for outcome, share in evaluation.recall().items():
        row = sum(matrix[outcome].values())
        assert (share is None) == (row == 0)
        assert share is None or share == matrix[outcome][outcome] / row
    assert evaluation.status == (1 if summary.matched < summary.with_expected else 0)


# --- comparing two knowledge bases -----------------------------------------------------------


def _rules_copy(tmp_path: Path) -> Path:
    rules = tmp_path / "edited-rules"
    shutil.copytree(ROOT / "rules", rules)
    return rules


def _baseline(kb: KnowledgeBase) -> Rule:
    """Return the evidence rule with no conditions (the knowledge base must have one)."""
    return next(r for r in kb.rules if r.kind == "evidence" and not r.facts and not r.signals)


def _rule_text(rules: Path, rule: Rule) -> tuple[Path, str, int, int]:
    """Return the file of a rule in a copy of the rules, its text, and where the rule's block lies in it."""
    path = rules / Path(rule.file).name
    assert path.is_relative_to(rules) and path.parent != ROOT / "rules"  # never touch the real rules
    text = path.read_text()
    start = text.index(f"id: {rule.id}")
    end = text.find("\n  - id:", start)
    return path, text, start, len(text) if end < 0 else end


def _make_certain(rules: Path, rule: Rule, outcome: str) -> None:
    """Make an evidence rule of a copy of the rules weigh almost certainly for an outcome."""
    path, text, start, end = _rule_text(rules, rule)
    block, count = re.subn(
        r"evidence: \w+\n(\s+)cf: [-0-9.]+", rf"evidence: {outcome}\n\g<1>cf: 0.95", text[start:end]
    )
    assert count == 1
    path.write_text(text[:start] + block + text[end:])


def _set_condition(rules: Path, rule: Rule, fact: str, value: str) -> None:
    """Make a rule of a copy of the rules test another value of a fact."""
    path, text, start, end = _rule_text(rules, rule)
    block, count = re.subn(rf"(\n\s+{fact}: ).*", rf"\g<1>{value}", text[start:end], count=1)
    assert count == 1
    path.write_text(text[:start] + block + text[end:])


def test_against_lists_the_cases_an_edited_certainty_factor_changes(tmp_path: Path) -> None:
    rules = _rules_copy(tmp_path)
    baseline = _baseline(load_knowledge_base())
    _make_certain(rules, baseline, "coalition")  # the baseline now weighs for a coalition, nearly certain
    evaluation = evaluate([GOOD], against=rules, jobs=1)
    before = {r.case.id: r.verdict for r in evaluation.results}
    changed = {c.case.id: c for c in evaluation.changes or ()}
    assert changed and changed.keys() == {i for i, v in before.items() if v.outcome != "coalition"}
    for change in changed.values():
        assert (change.new.outcome, change.new.deciding_rule) == ("coalition", baseline.id)
        assert change.difference[:2] == (change.old.deciding_rule, baseline.id)
        assert change.edited == (baseline.id,)
    assert evaluation.status == 0  # a report: expectations may fail under the other rules

    result = cli("evaluate", GOOD, "--against", rules, "--json")
    assert result.exit_code == 0
    listed = json.loads(result.stdout)["changes"]
    assert [c["case"] for c in listed] == list(changed)
    assert all(c["new_rule"] == baseline.id and c["edited"] == [baseline.id] for c in listed)


def test_against_names_an_edited_condition_on_the_support_chain(tmp_path: Path) -> None:
    # the coalition fixture's facts for a dyad: a group of four would still be a coalition
    # through GRP-01 whatever one signal rule says
    data = json.loads((GOOD / "coalition.json").read_text())
    coalition = tmp_path / "coalition.json"
    coalition.write_text(json.dumps({**data, "parties": ["Ruritania", "Freedonia"]}))
    rec = advise(data["facts"])
    # edit, one at a time, a fact condition of a signal rule on the deciding rule's chain,
    # until an edit changes the recommendation
    candidates = [f for f in rec.chain() if f.matched and rec.kb.rule(f.rule).kind == "signal"]
    assert candidates
    for i, signal in enumerate(candidates):
        fact, value = next(iter(signal.matched.items()))
        other = next(v for v in scales()[fact].values if v != value)
        rules = _rules_copy(tmp_path / str(i))
        _set_condition(rules, rec.kb.rule(signal.rule), fact, json.dumps(other))
        evaluation = evaluate([coalition], against=rules, jobs=1)
        if evaluation.changes:
            break
    else:
        pytest.fail("no edit on the chain changed the recommendation")
    [change] = evaluation.changes
    assert change.old.deciding_rule == rec.deciding_rule
    assert rec.deciding_rule in change.difference and signal.rule in change.difference
    assert change.edited == (signal.rule,)

    result = cli("evaluate", coalition, "--against", rules, columns=160)
    assert result.exit_code == 0
    assert f"{signal.rule} (edited)" in result.stdout and "1 of 1 cases change." in result.stdout


@pytest.mark.slow
def test_against_with_no_change_says_so(tmp_path: Path) -> None:
    rules = _rules_copy(tmp_path)
    result = cli("evaluate", GOOD, "--against", rules)
    assert result.exit_code == 0 and "0 of 4 cases change." in result.stdout


def _kb(*rules: Rule) -> KnowledgeBase:
    return KnowledgeBase(rules, {}, {}, Path("rules"))


def _rule(rule_id: str, *, without: tuple[str, ...] = ()) -> Rule:
    return Rule(rule_id, rule_id, "signal", (), (), without, (), "", Source(""), "rules.yaml", 1)


def test_difference_follows_a_negated_signal_to_the_rules_that_declared_it() -> None:
    # Old run: ALL-03 (needs balancing, must not see hedging) wins. New run: HED-02 and HED-04
    # declare hedging, so ALL-03 is blocked and STR-01 wins.
    old = Verdict(
        "alliance",
        "ALL-03",
        (
            Firing(1, "THR-01", {}, (), ("balancing_need",), declared_signals=("balancing_need",)),
            Firing(2, "ALL-03", {}, ("balancing_need",), ("proposal:alliance",)),
            Firing(3, "STR-01", {}, (), ("proposal:strategic",)),
        ),
    )
    new = Verdict(
        "strategic",
        "STR-01",
        (
            Firing(1, "THR-01", {}, (), ("balancing_need",), declared_signals=("balancing_need",)),
            Firing(2, "HED-02", {}, (), ("multi_alignment",), declared_signals=("multi_alignment",)),
            Firing(
                3,
                "HED-04",
                {},
                ("multi_alignment",),
                ("hedging_posture",),
                declared_signals=("hedging_posture",),
            ),
            Firing(4, "STR-01", {}, (), ("proposal:strategic",)),
        ),
    )
    kb = _kb(_rule("THR-01"), _rule("ALL-03", without=("hedging_posture",)), _rule("HED-02"), _rule("HED-04"))
    assert difference(old, new, kb, kb) == ("ALL-03", "STR-01", "HED-02", "HED-04")


@pytest.mark.slow
@pytest.mark.parametrize("columns", ["60", "70"])
def test_a_narrow_terminal_keeps_every_verdict_and_full_outcome_names(columns: str) -> None:
    wide = advisor("evaluate", "cases/library")
    narrow = subprocess.run(
        [sys.executable, "-m", "advisor", "evaluate", "cases/library"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", ""), "NO_COLOR": "1", "COLUMNS": columns},
        timeout=120,
    )
    marks = [sum(out.count(mark) for mark in "✓✗") for out in (wide.stdout, narrow.stdout)]
    assert marks[0] == marks[1] > 0
    assert "…" not in narrow.stdout and "comprehensive" in narrow.stdout
    assert "1 alliance  2 partnership  3 strategic" in narrow.stdout  # the matrix's legend
    assert max(len(line) for line in narrow.stdout.splitlines()) <= int(columns)


def _misspelt(tmp_path: Path) -> Path:
    """Write a library case with rival_ties misspelt and threat_level capitalised as Unknown."""
    text = (ROOT / "cases" / "library" / "us-japan-1960.yaml").read_text(encoding="utf-8")
    bad = text.replace("  rival_ties:", "  rivals_ties:").replace(
        "threat_level: high", "threat_level: Unknown"
    )
    assert bad.count("rivals_ties") == 1 and "Unknown" in bad
    path = tmp_path / "misspelt.yaml"
    path.write_text(bad, encoding="utf-8")
    return path


def test_a_case_with_several_problems_is_one_error_one_line_one_junit_entry(tmp_path: Path) -> None:
    path = _misspelt(tmp_path)
    junit = tmp_path / "results.xml"
    result = cli("evaluate", path, "--json", "--junit", junit)
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["summary"]["errors"] == len(document["errors"]) == 1
    line, closing = result.stderr.splitlines()
    assert closing == "advisor: 1 case is invalid (exit status 2)"
    message = document["errors"][0]["message"]
    assert line == f"advisor: {path}: case 'us-japan-1960': {message}"
    assert "facts.rivals_ties: unknown fact — did you mean rival_ties? (rival_ties is missing)" in message
    assert "rival_ties: missing" not in message
    assert "'Unknown' is not one of none, low, moderate, high, existential, unknown" in message
    suite = ET.parse(junit).getroot().find("testsuite")
    suite = suite if suite is not None else ET.parse(junit).getroot()
    assert suite.get("errors") == "1" and len(suite.findall(".//error")) == 1


def test_a_folder_of_exercise_scenarios_gives_one_line_per_file() -> None:
    folder = ROOT / "exercises" / "course"
    files = [p for p in folder.glob("*.yaml")]
    result = cli("evaluate", folder, "--json")
    assert result.exit_code == 2
    *lines, closing = result.stderr.splitlines()
    assert len(lines) == len(json.loads(result.stdout)["errors"]) == len(files)
    assert closing.endswith("(exit status 2)")
    assert all(len(line) < 400 and "more:" in line for line in lines if "pack.yaml" not in line)


def test_an_unknown_key_names_the_key_it_likely_stands_for(tmp_path: Path) -> None:
    text = (ROOT / "cases" / "library" / "us-japan-1960.yaml").read_text(encoding="utf-8")
    path = tmp_path / "expect.yaml"
    path.write_text(text.replace("expected:", "expect:"), encoding="utf-8")
    [error] = evaluate([path], jobs=1).errors
    assert "expect: unknown key — did you mean expected?" in error.message
    assert "allowed keys are id, title" in error.message
