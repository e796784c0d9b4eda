"""QA21's findings, each reproduced against the real command (or the function it calls)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from running import ROOT, in_process

US_INDIA = ROOT / "cases" / "library" / "us-india-2005.yaml"

# A student's Japan-Philippines case: the threat is moderate or high (the readings split 50/50 between
# the comprehensive tier and an alliance), the entrapment risk unknown (it changes nothing).
JP_PH = {
    "id": "japan-philippines-2024",
    "title": "Japan-Philippines Reciprocal Access Agreement",
    "parties": ["Japan", "Philippines"],
    "year": 2024,
    "facts": {
        "threat_level": ["moderate", "high"],
        "shared_adversary": "full",
        "power_asymmetry": "moderate",
        "ratification_cost": "moderate",
        "existing_ties": "strategic",
        "economic_interdependence": "medium",
        "value_alignment": "medium",
        "governance_alignment": "high",
        "entrapment_risk": "unknown",
        "rival_ties": False,
        "autonomy_tradition": False,
        "issue_scope": "security",
        "nonstate_actors_essential": False,
    },
}


@pytest.fixture
def jp_ph(tmp_path: Path) -> Path:
    path = tmp_path / "jp-ph.yaml"
    path.write_text(yaml.safe_dump(JP_PH, sort_keys=False), encoding="utf-8")
    return path


def flat(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


# --- D1: an outcome half of the readings give is a close call, not leaning ----------------------------


def test_an_outcome_only_half_of_the_readings_give_is_a_close_call(jp_ph: Path) -> None:
    data = json.loads(in_process("advise", jp_ph, "--json").stdout)
    assert data["readings"] == {"comprehensive": 0.5, "alliance": 0.5}
    assert data["margin"] > 0.10  # the lead inside the reading followed: leaning by itself
    assert data["confidence"] == "close"
    shown = flat(in_process("advise", jp_ph).stdout)
    assert (
        "Confidence: a close call between Comprehensive Strategic Partnership and Alliance "
        "(only 50% of the readings give it, 50% give Alliance; in the reading followed, "
        "belief +0.70 against Alliance at +0.54)"
    ) in shown
    evaluated = json.loads(in_process("evaluate", jp_ph, "--json").stdout)["results"][0]
    assert evaluated["confidence"] == "close"


def test_more_than_half_of_the_readings_is_needed_for_leaning() -> None:
    from advisor.engine import clarity

    assert clarity(0.16, outcome="a", readings={"a": 0.5, "b": 0.5}, hinges_on=()) == "close"
    assert clarity(0.16, outcome="a", readings={"a": 0.4, "b": 0.3, "c": 0.3}, hinges_on=()) == "close"
    assert clarity(0.16, outcome="a", readings={"a": 0.75, "b": 0.25}, hinges_on=()) == "leaning"
    assert clarity(0.16, outcome="a", readings={}, hinges_on=()) == "leaning"
    assert clarity(0.30, outcome="a", readings={"a": 1.0}, hinges_on=()) == "clear"


# --- D3: the brief states the confidence label as advise does ------------------------------------------


def test_the_brief_states_the_confidence_as_advise_does(jp_ph: Path) -> None:
    accra = ROOT / "cases" / "library" / "accra-initiative-2017.yaml"
    for case in (accra, jp_ph):
        line = next(
            x.strip("│ ")
            for x in in_process("advise", case, columns=400).stdout.splitlines()
            if "Confidence:" in x
        )
        said = line.removeprefix("Confidence: ")
        for suffix in ("md", "html"):
            brief = in_process("report", case, "-o", "-", "--format", suffix).stdout
            assert said in brief.replace("&amp;", "&"), (case, suffix)
        assert "Confidence:** leaning (belief +0.72" in in_process("report", accra, "-o", "-").stdout


# --- D8: two cases with one id: the duplicate is said on the first run ---------------------------------


def test_a_file_with_two_cases_of_one_id_says_so_at_once(tmp_path: Path) -> None:
    case = yaml.safe_load(US_INDIA.read_text(encoding="utf-8"))
    path = tmp_path / "two.yaml"
    path.write_text(yaml.safe_dump([case, case]), encoding="utf-8")
    result = in_process("advise", path)
    assert result.exit_code == 2
    assert "duplicate case id 'us-india-2005' (2 cases)" in result.stderr
    assert "--case" not in result.stderr


# --- D10: --why-not takes any case and the outcome's name; --set reads unknown or several values --------


@pytest.mark.parametrize(
    "typed", ["Alliance", "ALLIANCE", " alliance ", "comprehensive strategic partnership"]
)
def test_why_not_takes_an_outcome_in_any_case_or_by_its_name(typed: str) -> None:
    result = in_process("explain", US_INDIA, "--why-not", typed, "--json")
    assert result.exit_code == 0, result.stderr
    target = json.loads(result.stdout)["why_not"]["target"]
    assert target == ("comprehensive" if "comprehensive" in typed else "alliance")


SETTINGS = [
    ("us-india-2005", "threat_level", "unknown"),
    ("us-india-2005", "existing_ties", "partnership,strategic"),
    ("nato-1949", "threat_level", "moderate,existential"),
    ("nato-1949", "entrapment_risk", "unknown"),
    ("us-vietnam-2023", "economic_interdependence", "unknown"),
]


@pytest.mark.parametrize(("name", "fact", "typed"), SETTINGS)
def test_set_unknown_or_several_values_reasons_as_the_same_case_file_would(
    tmp_path: Path, name: str, fact: str, typed: str
) -> None:
    """`--set fact=unknown` (or a,b) is the what-if "we did not know it": its `after` is what `advise`
    says of a copy of the case with that fact written so."""
    source = ROOT / "cases" / "library" / f"{name}.yaml"
    case = yaml.safe_load(source.read_text(encoding="utf-8"))
    case["facts"][fact] = "unknown" if typed == "unknown" else typed.split(",")
    copy = tmp_path / "copy.yaml"
    copy.write_text(yaml.safe_dump(case), encoding="utf-8")
    explained = in_process("explain", source, "--set", f"{fact}={typed}", "--json")
    advised = in_process("advise", copy, "--json")
    assert explained.exit_code == 0 and advised.exit_code == 0, explained.stderr + advised.stderr
    after, expected = json.loads(explained.stdout)["what_if"]["after"], json.loads(advised.stdout)
    for key in ("recommendation", "confidence", "runner_up", "readings", "robust", "contested"):
        assert after[key] == expected[key], key
    change = json.loads(explained.stdout)["what_if"]["changes"][0]
    assert change["fact"] == fact and isinstance(change["to"], list) and len(change["to"]) >= 2


def test_set_unknown_is_said_as_unknown_and_read_over_every_value() -> None:
    result = in_process("explain", US_INDIA, "--set", "threat_level=unknown", "--json")
    what_if = json.loads(result.stdout)["what_if"]
    assert what_if["changes"][0]["to"] == ["none", "low", "moderate", "high", "existential"]
    assert what_if["sentence"].startswith("If threat level were unknown rather than moderate,")
    assert what_if["after"]["contested"] == {"threat_level": what_if["changes"][0]["to"]}
    text = flat(in_process("explain", US_INDIA, "--set", "threat_level=high,existential").stdout)
    assert "If threat level were read as high or existential rather than moderate" in text


def test_setting_a_contested_fact_to_its_own_values_changes_nothing(jp_ph: Path) -> None:
    result = in_process("explain", jp_ph, "--set", "threat_level=high,moderate", "--json")
    what_if = json.loads(result.stdout)["what_if"]
    assert what_if["changes"] == []
    assert what_if["already"] == [{"fact": "threat_level", "value": ["high", "moderate"]}]


@pytest.mark.parametrize("typed", ["high,high", "high,severe", "unknown,high", "high,", ""])
def test_a_bad_list_of_values_is_refused_in_one_line(typed: str) -> None:
    result = in_process("explain", US_INDIA, "--set", f"threat_level={typed}")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert f"--set threat_level={typed}:" in result.stderr


def test_case_files_stay_strict(tmp_path: Path) -> None:
    case = yaml.safe_load(US_INDIA.read_text(encoding="utf-8"))
    case["facts"]["threat_level"] = "HIGH"
    path = tmp_path / "up.yaml"
    path.write_text(yaml.safe_dump(case), encoding="utf-8")
    assert in_process("advise", path).exit_code == 2


# --- D11: advise --json carries the case's title, parties and year; readings_sampled always ------------


def test_advise_json_has_the_case_metadata_and_readings_sampled(jp_ph: Path) -> None:
    advised = json.loads(in_process("advise", US_INDIA, "--json").stdout)
    evaluated = json.loads(in_process("evaluate", US_INDIA, "--json").stdout)["results"][0]
    for key in ("title", "parties", "year", "readings", "readings_sampled"):
        assert advised[key] == evaluated[key], key
    assert advised["readings_sampled"] is False
    contested = json.loads(in_process("advise", jp_ph, "--json").stdout)
    assert contested["readings_sampled"] is False and contested["year"] == 2024
    what_if = json.loads(in_process("explain", jp_ph, "--set", "power_asymmetry=high", "--json").stdout)
    assert what_if["what_if"]["after"]["readings_sampled"] is False


# --- D12: the readings name the facts that split them; ask names contested and unknown answers --------


def test_the_readings_name_only_the_facts_that_split_them_readably(jp_ph: Path) -> None:
    shown = flat(in_process("advise", jp_ph).stdout)
    assert (
        "Readings: not robust: the advice changes with threat level (Comprehensive Strategic "
        "Partnership 50%, Alliance 50% of every reading); entrapment risk does not change it"
    ) in shown
    assert "threat_level" not in shown.split("Readings:")[1].split("Strongest")[0]


def test_ask_says_the_advice_rests_on_a_contested_answer_not_a_missing_one() -> None:
    from rich.console import Console

    from advisor.ask.casefile import advice_for
    from advisor.ask.gaps import find_gaps
    from advisor.ask.session import Session
    from advisor.engine import get_engine
    from advisor.render.consultation import gaps_report

    session = Session(parties=["Japan", "Philippines"])
    for fact, value in JP_PH["facts"].items():
        session.answer(
            fact, None if value == "unknown" else tuple(value) if isinstance(value, list) else value
        )
    engine = get_engine()
    rec = advice_for(session, engine)
    gaps = find_gaps(session, rec, engine)
    assert (gaps.contested, gaps.unknown_splitting, gaps.others) == (("threat_level",), (), ("alliance",))
    console = Console(width=200, record=True)
    console.print(gaps_report(gaps))
    text = console.export_text()
    assert "The recommendation rests on contested answers (threat level): " in text
    assert "missing answers:" not in text
    assert "entrapment risk: any value gives Comprehensive Strategic Partnership" in text
