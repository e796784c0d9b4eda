"""``advisor evaluate`` says how clear each recommendation was, and how each confidence fared.

Each result carries the ``confidence``, ``runner_up``, ``margin`` and ``hinges_on`` that
``advisor advise --json`` gives for the same case (contested facts included); the summary counts,
for each confidence, the cases with an expectation and how many matched; the terminal shows a
confidence column and one calibration line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from advisor.cases import Case, load_file
from advisor.engine import advise, get_engine
from advisor.engine.masks import hinges
from advisor.evaluate import CaseInput, CaseResult, Verdict, evaluate, summarize
from advisor.facts import FACT_NAMES, scales
from advisor.library import load_library
from advisor.outcomes import OUTCOME_IDS

from running import contested_case, in_process

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "cases" / "library"
FIXTURES = ROOT / "tests" / "fixtures" / "evaluate"
JUDGED = ("confidence", "runner_up", "margin", "hinges_on")


def judged(fields: dict[str, Any]) -> dict[str, Any]:
    """Return what says how clear the advice is, with the recommendation it is about."""
    return {key: fields[key] for key in ("recommendation", *JUDGED)}


def advised(path: Path) -> dict[str, dict[str, Any]]:
    """Return ``advise(case).to_dict()`` (what ``advisor advise --json`` prints) for every case of a file."""
    return {item.case.id: advise(item.case).to_dict() for item in load_file(path)[0]}


# --- the same values as advise ------------------------------------------------------------------


def test_every_library_case_gets_the_confidence_advise_gives() -> None:
    results = evaluate([LIBRARY], jobs=1).to_dict()["results"]
    by_id = {case.id: advise(case).to_dict() for case in load_library(LIBRARY)}
    assert len(results) == len(by_id) > 200
    for result in results:
        assert judged(result) == judged(by_id[result["case"]]), result["case"]
    seen = {r["confidence"] for r in results}
    assert seen == {"clear", "leaning", "close"}  # every confidence is met, so each can be wrong
    assert any(r["hinges_on"] for r in results) and any(not r["hinges_on"] for r in results)


def _contested_library(directory: Path) -> tuple[Path, int]:
    """Write, as one list file, library cases with one fact contested by one notch or unknown.

    Return the file and how many of its cases have a hinge that only their contested fact
    would be (a check that forgot to hold the contested facts still would get those wrong).
    """
    cases, telling = [], 0
    kb = get_engine().kb
    for i, case in enumerate(load_library(LIBRARY)):
        facts = case.facts.model_dump(exclude={"grouping"})
        name = FACT_NAMES[i % len(FACT_NAMES)]
        values = list(scales()[name].values)
        j = values.index(facts[name])
        other = values[j + 1] if j + 1 < len(values) else values[j - 1]
        facts[name] = "unknown" if i % 5 == 0 else [facts[name], other]
        cases.append({"id": f"{case.id}-contested", "parties": list(case.parties), "facts": facts})
        if case.expected:
            cases[-1]["expected"] = case.expected
        rec = advise(Case.model_validate(cases[-1]))
        telling += name in hinges(kb, rec.facts, rec.outcome) and name not in rec.hinges_on
    path = directory / "contested.yaml"
    path.write_text(yaml.safe_dump(cases, sort_keys=False), encoding="utf-8")
    return path, telling


def test_contested_cases_get_the_confidence_advise_gives(tmp_path: Path) -> None:
    path, telling = _contested_library(tmp_path)
    results = evaluate([path], jobs=1).to_dict()["results"]
    expected = advised(path)
    assert len(results) == len(expected) > 200
    for result in results:
        assert judged(result) == judged(expected[result["case"]]), result["case"]
        assert result["readings"] == expected[result["case"]]["readings"]
    assert telling > 0  # some hinge only the contested fact would be: it must be held
    not_robust = [r for r in results if max(r["readings"].values()) < 1]
    assert not_robust and all(r["confidence"] != "clear" for r in not_robust)
    # wide leads that no one-notch change alters, not clear because the readings disagree
    assert any(r["margin"] >= 0.25 and not r["hinges_on"] for r in not_robust)


@pytest.mark.parametrize(
    "given", [{}, {"threat_level": "[moderate, existential]"}, {"rival_ties": "unknown"}]
)
def test_the_cli_json_of_evaluate_and_advise_agree(tmp_path: Path, given: dict[str, str]) -> None:
    path = contested_case(tmp_path, **given)
    evaluated = json.loads(in_process("evaluate", path, "--json").stdout)["results"]
    advice = json.loads(in_process("advise", path, "--json").stdout)
    assert [judged(r) for r in evaluated] == [judged(advice)]


@pytest.mark.slow
def test_workers_judge_the_confidence_as_one_process_does(tmp_path: Path) -> None:
    path, _ = _contested_library(tmp_path)
    paths = [LIBRARY, path]
    sequential = evaluate(paths, jobs=1).to_dict()
    parallel = evaluate(paths, jobs=2, parallel_from=1).to_dict()
    assert parallel == sequential


# --- calibration: how each confidence fared -----------------------------------------------------


def test_the_calibration_adds_up_to_the_cases_with_an_expectation() -> None:
    summary = evaluate([LIBRARY, FIXTURES / "good"], jobs=1).to_dict()["summary"]
    levels = summary["by_confidence"]
    assert list(levels) == ["clear", "leaning", "close"]
    assert sum(level["cases"] for level in levels.values()) == summary["with_expected"] < summary["cases"]
    assert sum(level["matched"] for level in levels.values()) == summary["matched"]


@given(
    st.lists(
        st.tuples(
            st.sampled_from([*OUTCOME_IDS, None]),
            st.sampled_from(OUTCOME_IDS),
            st.sampled_from(["clear", "leaning", "close"]),
        ),
        max_size=40,
    )
)
def test_each_confidence_counts_its_own_cases_and_matches(triples: list[tuple[str | None, str, Any]]) -> None:
    results = [
        CaseResult(
            CaseInput("f", f"c{i}", None, (), None, expected, {}), Verdict(got, "R-01", confidence=level)
        )
        for i, (expected, got, level) in enumerate(triples)
    ]
    summary = summarize(results, 0)
    for level, (cases, matched) in summary.by_confidence.items():
        mine = [(e, g) for e, g, c in triples if c == level and e is not None]
        assert (cases, matched) == (len(mine), sum(e == g for e, g in mine))
    assert sum(n for n, _ in summary.by_confidence.values()) == summary.with_expected
    assert sum(m for _, m in summary.by_confidence.values()) == summary.matched


# --- the terminal ---------------------------------------------------------------------------------


def test_the_terminal_shows_a_confidence_column_and_the_calibration_line() -> None:
    result = in_process("evaluate", FIXTURES / "good", columns=100)
    document = json.loads(in_process("evaluate", FIXTURES / "good", "--json").stdout)
    header = next(line for line in result.stdout.splitlines() if "recommendation" in line)
    assert header.split() == ["case", "/", "parties", "year", "recommendation", "confidence", "expected"]
    for r in document["results"]:
        row = next(line for line in result.stdout.splitlines() if line.split()[:1] == [r["case"]])
        assert re.search(rf" {r['recommendation']} +{r['confidence']} ", row), row
    levels = document["summary"]["by_confidence"]
    lines = result.stdout.splitlines()
    calibration = lines[next(i for i, line in enumerate(lines) if line.startswith("Accuracy:")) + 1]
    parts = [
        f"{c}: {n['matched']} of {n['cases']}" if n["cases"] else f"{c}: none" for c, n in levels.items()
    ]
    assert calibration.startswith("Clear: ") and all(p.lower() in calibration.lower() for p in parts)


@pytest.mark.parametrize("columns", [80, 100])
def test_the_library_fits_the_terminal_with_its_confidence_and_nothing_cropped(columns: int) -> None:
    result = in_process("evaluate", LIBRARY, "--jobs", "1", columns=columns)
    assert max(len(line) for line in result.stdout.splitlines()) <= columns
    cases = result.stdout.split("Accuracy:")[0]
    assert set(cases.split()) >= {path.stem for path in LIBRARY.glob("*.yaml")}  # every id in full
    assert cases.count("✓") + cases.count("✗") == len(list(LIBRARY.glob("*.yaml")))
    assert cases.count("leaning") >= 100  # a confidence for every case, in a column or in the list


def test_a_batch_with_broken_files_still_judges_every_valid_case() -> None:
    result = in_process("evaluate", FIXTURES / "mixed", "--json")
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    # one line per bad input, then the closing line
    assert len(result.stderr.splitlines()) - 1 == len(document["errors"]) == 3
    assert len(document["results"]) == 4  # the second case of a duplicate id is an error only
    errors = {(e["file"], e.get("case")) for e in document["errors"]}
    for path in sorted((FIXTURES / "mixed").rglob("*.yaml")):
        if path.name == "broken.yaml":
            continue
        for case_id, expected in advised(path).items():
            if (str(path), case_id) in errors:
                continue
            found = [r for r in document["results"] if r["case"] == case_id and r["file"] == str(path)]
            assert all(judged(r) == judged(expected) for r in found) and found, (path, case_id)
    shown = in_process("evaluate", FIXTURES / "mixed", columns=100)
    assert shown.exit_code == 2 and "confidence" in shown.stdout and "Clear: " in shown.stdout


def test_a_comparison_judges_the_results_not_the_other_rules() -> None:
    evaluation = evaluate([FIXTURES / "good"], against=ROOT / "rules", jobs=1)
    assert [judged(r.to_dict()) for r in evaluation.results] == [
        judged(r.to_dict()) for r in evaluate([FIXTURES / "good"], jobs=1).results
    ]
    assert evaluation.against is not None and all(r.verdict.confidence is None for r in evaluation.against)
