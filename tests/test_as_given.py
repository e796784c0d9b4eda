"""A case with contested facts is judged as given: what most of its readings give.

Its ``hinges_on`` (and so ``clear``) names the answers a one-notch change of which alters the
outcome of the case as given, exactly what ``advise`` says of the case edited so; and every change
why-not offers gives the outcome asked about for the case as given, as ``explain --set`` judges it.
The two cases built here are the QA reproductions: the Iran-Syria pact of 2006 with its entrapment
risk unknown and its value alignment medium or high (the edited case with rival ties turned strategic
while the advice said clear, hinging on nothing), and the China-UK partnership of 2004 with its threat
unknown (why-not claimed that power asymmetry at parity alone gave Partnership; it did not).
"""

from __future__ import annotations

import copy
import importlib
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.cases import Case
from advisor.engine import advise, get_engine
from advisor.engine.as_given import AsGiven, hinges_over_readings
from advisor.engine.masks import hinges, one_notch
from advisor.evaluate import evaluate
from advisor.explain import sensitivity_over_readings, why_not
from advisor.facts import ASKED_FACTS, scales
from advisor.outcomes import OUTCOME_IDS

from running import in_process

IRAN_SYRIA: dict[str, Any] = {
    "id": "iran-syria-2006",
    "parties": ["Iran", "Syria"],
    "expected": "alliance",
    "facts": {
        "threat_level": "high",
        "shared_adversary": "full",
        "power_asymmetry": "moderate",
        "ratification_cost": "low",
        "existing_ties": "partnership",
        "economic_interdependence": "low",
        "value_alignment": ["medium", "high"],
        "governance_alignment": "high",
        "entrapment_risk": "unknown",
        "rival_ties": False,
        "autonomy_tradition": True,
        "issue_scope": "security",
        "nonstate_actors_essential": False,
    },
}

CHINA_UK: dict[str, Any] = {
    "id": "china-uk-2004",
    "parties": ["China", "United Kingdom"],
    "expected": "comprehensive",
    "facts": {
        "threat_level": "unknown",
        "shared_adversary": "none",
        "power_asymmetry": "moderate",
        "ratification_cost": "low",
        "existing_ties": "partnership",
        "economic_interdependence": "medium",
        "value_alignment": "low",
        "governance_alignment": "medium",
        "entrapment_risk": ["low", "moderate"],
        "rival_ties": True,
        "autonomy_tradition": True,
        "issue_scope": "multi_sector",
        "nonstate_actors_essential": False,
    },
}


def case_of(data: dict[str, Any], **changes: Any) -> Case:
    """Return the case of ``data``, some facts set otherwise (as an edited case file sets them)."""
    edited = copy.deepcopy(data)
    edited["facts"].update(changes)
    return Case.model_validate(edited)


def edited_hinges(data: dict[str, Any]) -> tuple[str, ...]:
    """Return, by brute force, the answered facts a one-notch change of which alters what ``advise``
    recommends for the case file edited so (the contested facts are not moved)."""
    case = case_of(data)
    rec = advise(case)
    found: list[str] = []
    for fact, value in one_notch(rec.facts):
        if fact in found or fact in case.contested:
            continue
        if advise(case_of(data, **{fact: value})).outcome != rec.outcome:
            found.append(fact)
    return tuple(found)


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


# --- hinges_on and clear: the case as given -------------------------------------------------------


def test_a_contested_case_hinges_on_what_alters_the_case_as_given() -> None:
    rec = advise(case_of(IRAN_SYRIA))
    assert rec.outcome == "alliance" and rec.robust and rec.margin >= 0.25
    turned = advise(case_of(IRAN_SYRIA, rival_ties=True))
    assert turned.outcome == "strategic", "rival ties one notch away turns most readings strategic"
    assert "rival_ties" in rec.hinges_on
    assert rec.hinges_on == edited_hinges(IRAN_SYRIA)
    assert rec.confidence == "leaning", "a wide lead that one notch takes away is not clear"
    assert "rival ties" in (rec.why_not_clear() or "")
    data = rec.to_dict()
    assert data["confidence"] == "leaning" and "rival_ties" in data["hinges_on"]


def test_a_change_that_leaves_most_readings_alone_is_no_hinge() -> None:
    data = copy.deepcopy(IRAN_SYRIA)
    data["parties"] = ["A", "B", "C", "D"]
    data["facts"].update(
        threat_level=["high", "existential"],
        value_alignment="unknown",
        entrapment_risk="moderate",
        power_asymmetry="high",
        ratification_cost="high",
        economic_interdependence="medium",
        autonomy_tradition=False,
    )
    rec = advise(case_of(data))
    assert rec.outcome == advise(case_of(data, shared_adversary="partial")).outcome == "alliance"
    assert "shared_adversary" not in rec.hinges_on
    assert rec.hinges_on == edited_hinges(data)


def random_case(rng: random.Random) -> dict[str, Any]:
    """Return a random case file's data: each fact one value, several, or unknown."""
    table = scales()
    facts: dict[str, Any] = {}
    for name in ASKED_FACTS:
        values = list(table[name].values)
        roll = rng.random()
        if roll < 0.15:
            facts[name] = "unknown"
        elif roll < 0.35 and len(values) > 1:
            facts[name] = rng.sample(values, 2)
        else:
            facts[name] = rng.choice(values)
    parties = ["A", "B", "C"] if rng.random() < 0.3 else ["A", "B"]
    return {"id": f"random-{rng.random():.6f}", "parties": parties, "facts": facts}


def contested_cases(rng: random.Random, count: int) -> Iterator[tuple[dict[str, Any], Any]]:
    """Yield ``count`` random case files' data with at least one contested fact, and their cases."""
    seen = 0
    while seen < count:
        data = random_case(rng)
        case = case_of(data)
        if case.contested:
            seen += 1
            yield data, case


def test_hinges_over_readings_are_the_edits_that_alter_what_advise_says_of_the_edited_case() -> None:
    for data, case in contested_cases(random.Random(19), 25):
        rec = advise(case)
        assert rec.hinges_on == edited_hinges(data), data


def test_a_sampled_space_is_judged_on_the_same_sample_as_advise() -> None:
    data = copy.deepcopy(IRAN_SYRIA)
    for name in ("threat_level", "existing_ties", "economic_interdependence", "governance_alignment"):
        data["facts"][name] = "unknown"
    data["facts"]["power_asymmetry"] = "unknown"
    data["facts"]["ratification_cost"] = "unknown"
    rec = advise(case_of(data))
    assert rec.readings_sampled
    assert rec.hinges_on == edited_hinges(data)


def test_without_contested_facts_nothing_changes() -> None:
    data = copy.deepcopy(IRAN_SYRIA)
    data["facts"].update(value_alignment="medium", entrapment_risk="high")
    rec = advise(case_of(data))
    assert not rec.contested
    assert rec.hinges_on == hinges(get_engine().kb, rec.facts, rec.outcome)
    assert hinges_over_readings(get_engine().kb, rec.facts, rec.outcome, {}) == rec.hinges_on


def test_evaluate_judges_a_contested_case_as_advise_does(tmp_path: Path) -> None:
    path = write(tmp_path, IRAN_SYRIA)
    [result] = evaluate([path], jobs=1).to_dict()["results"]
    rec = advise(case_of(IRAN_SYRIA)).to_dict()
    for key in ("recommendation", "confidence", "runner_up", "margin", "hinges_on"):
        assert result[key] == rec[key], key
    shown = json.loads(in_process("advise", path, "--json").stdout)
    assert shown["confidence"] == "leaning" and shown["hinges_on"] == rec["hinges_on"]


# --- why not: every change offered holds for the case as given ------------------------------------


def test_why_not_offers_only_changes_that_give_the_target_for_the_case_as_given(tmp_path: Path) -> None:
    rec = advise(case_of(CHINA_UK))
    assert rec.outcome == "strategic"
    assert advise(case_of(CHINA_UK, power_asymmetry="parity")).outcome == "strategic"
    answer = why_not(rec, "partnership")
    assert answer.found and answer.after is not None and answer.after.outcome == "partnership"
    assert [c.fact for c in answer.changes] != ["power_asymmetry"]
    made = {c.fact: c.after for c in answer.changes}
    assert advise(case_of(CHINA_UK, **made)).outcome == "partnership"
    # and as the command line says it: --set the changes offered, and the target is what it gives
    path = write(tmp_path, CHINA_UK)
    data = json.loads(in_process("explain", path, "--why-not", "partnership", "--json").stdout)["why_not"]
    settings = [x for c in data["changes"] for x in ("--set", f"{c['fact']}={c['to']}")]
    after = json.loads(in_process("explain", path, *settings, "--json").stdout)
    assert after["recommendation"] == "partnership" == data["after"]["recommendation"]
    assert not data["sentence"].startswith("If power asymmetry were parity rather than moderate, the advisor")


@pytest.mark.parametrize("data", [IRAN_SYRIA, CHINA_UK], ids=["iran-syria", "china-uk"])
def test_every_why_not_change_holds_over_the_readings(data: dict[str, Any]) -> None:
    rec = advise(case_of(data))
    for target in (o for o in OUTCOME_IDS if o != rec.outcome):
        answer = why_not(rec, target)
        if not answer.found:
            assert answer.sentence().startswith("No change")
            continue
        made = {c.fact: c.after for c in answer.changes}
        edited = advise(case_of(data, **made))
        assert edited.outcome == target, (target, made)
        assert answer.after is not None and answer.after.readings == edited.readings


def test_why_not_on_random_contested_cases_offers_only_true_changes() -> None:
    rng = random.Random(7)
    for data, case in contested_cases(rng, 8):
        rec = advise(case)
        target = rng.choice([o for o in OUTCOME_IDS if o != rec.outcome])
        answer = why_not(rec, target)
        if answer.found:
            made = {c.fact: c.after for c in answer.changes}
            assert advise(case_of(data, **made)).outcome == target, (data, target, made)


def test_a_search_too_large_to_finish_says_so_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.import_module("advisor.explain.why_not"), "SEARCH_BUDGET", 0)
    answer = why_not(advise(case_of(CHINA_UK)), "coordination")
    assert not answer.found and answer.to_dict()["exhausted"] is True
    assert answer.sentence().startswith("No change found makes the advisor recommend")
    assert "too many to judge every change" in answer.sentence()


def test_the_judge_of_changes_agrees_with_advise_on_each_setting() -> None:
    rec = advise(case_of(CHINA_UK))
    judge = AsGiven(get_engine().kb, rec.facts, rec.contested)
    assert judge.outcome() == rec.outcome
    for name in ("threat_level", "power_asymmetry", "existing_ties"):
        for value in scales()[name].values:
            assert judge.outcome({name: value}) == advise(case_of(CHINA_UK, **{name: value})).outcome


# --- the consultation's unknown answers: each value judged over the readings of the others -------


def test_the_values_of_an_unknown_answer_are_judged_over_the_other_readings() -> None:
    rec = advise(case_of(CHINA_UK))
    flips = sensitivity_over_readings(rec, get_engine(), facts=["threat_level"]).by_fact()
    gives = {f.change.after: f.outcome for f in flips.get("threat_level", ())}
    for value in scales()["threat_level"].values:
        expected = advise(case_of(CHINA_UK, threat_level=value)).outcome
        assert gives.get(value, rec.outcome) == expected, value
