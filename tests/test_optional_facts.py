"""The optional fact (standing_commitment, for a group): given or not, its default when not.

A case, a consultation, a pack or a submission that leaves it out is read as if it wrote the
default; given (plain, contested or unknown), it is reasoned over like any other fact.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.cases import Case, load_file
from advisor.engine import advise, analyse
from advisor.engine.masks import one_notch
from advisor.exercise.feedback import feedback
from advisor.exercise.pack import load_pack
from advisor.exercise.submission import Submission
from advisor.facts import FACT_NAMES, OPTIONAL_DEFAULTS, OPTIONAL_FACTS, Facts, FactValue, scales
from advisor.precedents import similarity
from advisor.rulebase import load_knowledge_base

from running import US_JAPAN

PAIR = ["United States", "Japan"]
GROUP = ["United States", "Japan", "India"]


def write_case(tmp_path: Path, name: str, facts: dict[str, Any], parties: list[str] = PAIR) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"id": name, "parties": parties, "facts": facts}, sort_keys=False))
    return path


def only(path: Path) -> Case:
    loaded, errors = load_file(path)
    assert not errors, errors
    return loaded[0].case


def comparable(rec: Any) -> dict[str, Any]:
    """The result but for its name and the list of facts left out: a fact left out is read as its
    default written, confidence and what the advice hinges on included."""
    data = rec.to_dict()
    for key in ("case", "defaulted_facts"):
        data.pop(key)
    return data


@pytest.mark.parametrize("parties", [PAIR, GROUP])
def test_a_case_without_the_optional_facts_gives_what_it_gives_with_their_defaults_written(
    tmp_path: Path, parties: list[str]
) -> None:
    without = only(write_case(tmp_path, "without", dict(US_JAPAN), parties))
    written = only(write_case(tmp_path, "written", {**US_JAPAN, **OPTIONAL_DEFAULTS}, parties))
    assert without.facts == written.facts and not without.contested
    rec_without, rec_written = advise(without), advise(written)
    assert comparable(rec_without) == comparable(rec_written)
    assert rec_written.hinges_on == rec_without.hinges_on
    assert rec_without.defaulted == OPTIONAL_FACTS and rec_written.defaulted == ()
    assert rec_without.to_dict()["defaulted_facts"] == list(OPTIONAL_FACTS)
    # the engine reads a fact left out as its default: the same run as without the facts at all
    bare = advise({k: v for k, v in without.facts.model_dump().items() if k not in OPTIONAL_FACTS})
    assert (bare.outcome, bare.beliefs) == (rec_without.outcome, rec_without.beliefs)


def test_a_group_that_leaves_the_fact_out_hinges_on_it_as_if_it_wrote_false_a_pair_never(
    tmp_path: Path,
) -> None:
    found: list[str] = []
    for threat in scales()["threat_level"].values:
        facts = {**US_JAPAN, "threat_level": threat}
        without = advise(only(write_case(tmp_path, "without", facts, GROUP)))
        written = advise(
            only(write_case(tmp_path, "written", {**facts, "standing_commitment": False}, GROUP))
        )
        assert (without.hinges_on, without.confidence) == (written.hinges_on, written.confidence)
        found += without.hinges_on
        pair = advise(only(write_case(tmp_path, "pair", {**facts, "standing_commitment": True})))
        assert "standing_commitment" not in pair.hinges_on
    assert "standing_commitment" in found, "a group's advice can turn on the fact it left out"


@pytest.mark.parametrize(
    ("written", "readings"),
    [([False, True], (False, True)), ("unknown", (False, True))],
)
def test_an_optional_fact_contested_or_unknown_is_reasoned_over_every_reading(
    tmp_path: Path, written: Any, readings: tuple[str, ...]
) -> None:
    case = only(write_case(tmp_path, "disputed", {**US_JAPAN, "standing_commitment": written}, GROUP))
    assert case.contested == {"standing_commitment": readings}
    rec = advise(case)
    assert rec.contested == {"standing_commitment": readings} and rec.defaulted == ("standing_forum",)
    each = {v: advise({**case.facts.model_dump(), "standing_commitment": v}).outcome for v in readings}
    assert set(rec.readings) == set(each.values())
    assert sum(rec.readings.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("fact", "value", "message"),
    [
        ("standing_commitment", "central", "'central' is not a boolean"),
        ("standing_commitment", "yes", "'yes' is not a boolean"),
        ("standing_commitment", [True, True], "a contested fact lists two or more distinct values"),
    ],
)
def test_a_bad_optional_value_names_the_file_the_case_and_the_field(
    tmp_path: Path, fact: str, value: Any, message: str
) -> None:
    path = write_case(tmp_path, "bad", {**US_JAPAN, fact: value}, GROUP)
    loaded, errors = load_file(path)
    assert not loaded and len(errors) == 1
    text = str(errors[0])
    assert text.startswith(f"{path}: case 'bad': ") and f"facts.{fact}" in text and message in text


def test_one_notch_moves_the_optional_facts_but_never_standing_commitment_for_a_pair() -> None:
    pair = {**US_JAPAN, **OPTIONAL_DEFAULTS, "grouping": False}
    moves = set(one_notch(pair))
    assert ("threat_level", "existential") in moves
    assert not any(fact == "standing_commitment" for fact, _ in moves)
    group = {**pair, "grouping": True}
    assert ("standing_commitment", True) in set(one_notch(group))
    assert ("standing_commitment", True) not in set(one_notch({**US_JAPAN, "standing_commitment": False}))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.fixed_dictionaries(
        {},
        optional={n: st.sampled_from(scales()[n].values) for n in FACT_NAMES},
    )
)
def test_standing_commitment_can_never_matter_for_a_pair_so_ask_never_asks_it(
    known: dict[str, FactValue],
) -> None:
    kb = load_knowledge_base()
    assert analyse({**known, "grouping": False}, kb).status("standing_commitment") == "idle"
    assert analyse(known, kb).status("standing_commitment") == "idle"  # no parties yet: a pair


def test_precedents_weigh_the_optional_facts_and_a_case_without_them_counts_as_its_defaults() -> None:
    group = {**US_JAPAN, "grouping": True}
    base = Facts.model_validate(group)
    assert similarity(group | OPTIONAL_DEFAULTS, base) == pytest.approx(1.0)
    standing = {**group, "standing_commitment": True}
    assert similarity(standing, base) < 1.0
    assert similarity(standing, Facts.model_validate(standing)) == pytest.approx(1.0)


def test_a_submission_without_the_optional_facts_is_graded_on_the_required_ones_as_before() -> None:
    pack = load_pack()
    scenario = pack.scenario("us-japan-1960")
    assert not set(scenario.reference) & set(OPTIONAL_FACTS)  # the shipped pack does not give them
    plain = Submission(
        scenario=scenario.id,
        student="P",
        facts=dict(scenario.reference),
        prediction="alliance",
        rationale="A shared and named threat, and a weaker side that cannot stand alone.",
    )
    graded = feedback(plain, pack)
    assert [f.fact for f in graded.facts] == list(FACT_NAMES) and graded.score == 100
    # given for a pair, standing_commitment is ignored: not graded, and the advice is the same
    extra = Submission(**{**plain.__dict__, "facts": {**plain.facts, "standing_commitment": True}})
    with_it = feedback(extra, pack)
    assert [f.fact for f in with_it.facts] == list(FACT_NAMES) and with_it.score == 100


def test_precedents_ignore_standing_commitment_for_a_pair_as_the_rules_do() -> None:
    pair = Facts.model_validate(US_JAPAN)
    written = {**US_JAPAN, "standing_commitment": True}
    assert similarity(written, pair) == pytest.approx(1.0)  # not a difference for a pair
    assert (
        similarity({**written, "grouping": True}, Facts.model_validate({**US_JAPAN, "grouping": True})) < 1.0
    )


def test_an_optional_fact_the_reference_leaves_out_is_not_graded_but_is_read_for_the_student() -> None:
    shipped = load_pack()
    nato = shipped.scenario("nato-1949")  # a group; a pack whose reference leaves the fact out
    scenario = replace(nato, reference={k: v for k, v in nato.reference.items() if k not in OPTIONAL_FACTS})
    pack = replace(shipped, scenarios={**shipped.scenarios, scenario.id: scenario})
    assert len(scenario.parties) >= 3 and "standing_commitment" not in scenario.reference
    pact = Submission(
        scenario=scenario.id,
        student="P",
        facts={**scenario.reference, "standing_commitment": True},
        prediction="alliance",
        rationale="A shared and named threat, and a weaker side that cannot stand alone.",
    )
    graded = feedback(pact, pack)
    assert [f.fact for f in graded.facts] == list(FACT_NAMES) and graded.score == 100
    read = advise({**scenario.reference, "standing_commitment": True, "grouping": True}).outcome
    assert graded.your_recommendation == read


def test_a_pairs_contested_standing_commitment_is_not_read_over_nor_called_robust(tmp_path: Path) -> None:
    """standing_commitment is not read for a pair: given several ways it adds no readings, and the
    advice does not claim to hold 'over every reading' of it."""
    case = only(write_case(tmp_path, "pair", {**US_JAPAN, "standing_commitment": [True, False]}))
    assert case.contested == {"standing_commitment": (True, False)}  # what the file said is kept
    rec = advise(case)
    assert rec.contested == {} and rec.readings == {rec.outcome: 1.0}
    assert rec.outcome == advise(only(write_case(tmp_path, "plain", US_JAPAN))).outcome
    both = advise(
        only(
            write_case(
                tmp_path,
                "both",
                {**US_JAPAN, "threat_level": ["high", "moderate"], "standing_commitment": [True, False]},
            )
        )
    )
    assert list(both.contested) == ["threat_level"]
    assert "standing_commitment" not in both.readings_sentence()
