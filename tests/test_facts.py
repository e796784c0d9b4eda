"""The fact model matches the public contract in FACTS.md, and validates strictly."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from advisor.facts import (
    ALL_FACTS,
    ASKED_FACTS,
    DERIVED_FACTS,
    FACT_NAMES,
    OPTIONAL_DEFAULTS,
    OPTIONAL_FACTS,
    REQUIRED_FACTS,
    Facts,
    as_known,
    check_known,
    scales,
)
from advisor.optional import applies, given_facts, not_given, show_defaulted

from running import US_JAPAN

ROW = re.compile(r"^\| `(?P<name>[a-z_]+)` \| (?P<values>(?:`[a-z_]+` ?)+) \|", re.M)

VALID = US_JAPAN


def facts_md_table(shared: Path) -> dict[str, set[str]]:
    """Read the fact table of FACTS.md: fact name -> allowed values as written."""
    text = (shared / "FACTS.md").read_text()
    return {m["name"]: set(re.findall(r"`([a-z_]+)`", m["values"])) for m in ROW.finditer(text)}


@pytest.mark.parametrize(
    ("fact", "value", "message"),
    [
        ("threat_level", None, "threat_level: the value is empty; write one of none, low"),
        ("rival_ties", "true", "rival_ties: 'true' is not a boolean but a string; write true without quotes"),
        ("rival_ties", "yes", "rival_ties: 'yes' is not a boolean; write true or false"),
        (
            "threat_level",
            True,
            "threat_level: true is a boolean (YAML reads yes, no, on and off as booleans)",
        ),
    ],
)
def test_empty_values_and_quoted_booleans_are_named_as_such(fact: str, value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        check_known({fact: value})


def test_every_fact_of_facts_md_is_in_the_model_with_exactly_its_values(shared: Path) -> None:
    table = facts_md_table(shared)
    assert list(table) == list(FACT_NAMES)
    for name, values in table.items():
        shown = {scales()[name].show(v) for v in scales()[name].values}
        assert shown == values, name


def test_ordered_scales_run_from_least_to_most() -> None:
    assert scales()["threat_level"].values == ("none", "low", "moderate", "high", "existential")
    assert scales()["shared_adversary"].values == ("none", "partial", "full")
    assert scales()["existing_ties"].values[-1] == "alliance"
    assert not scales()["issue_scope"].ordered


def test_every_value_has_a_meaning_and_every_fact_a_question() -> None:
    for scale in scales().values():
        assert scale.question.endswith("?")
        assert {scale.show(v) for v in scale.values} == set(scale.meanings)


def test_a_complete_valid_dyad_is_accepted() -> None:
    assert Facts.model_validate(VALID).threat_level == "high"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("threat_level", "severe"),
        ("rival_ties", "false"),
        ("rival_ties", "no"),
        ("rival_ties", 0),
        ("issue_scope", "Security"),
    ],
)
def test_wrong_values_and_types_are_rejected(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as info:
        Facts.model_validate({**VALID, field: value})
    assert info.value.errors()[0]["loc"] == (field,)


def test_missing_and_unknown_facts_are_rejected() -> None:
    with pytest.raises(ValidationError):
        Facts.model_validate({k: v for k, v in VALID.items() if k != "threat_level"})
    with pytest.raises(ValidationError):
        Facts.model_validate({**VALID, "alliance_age": "old"})


def test_check_known_accepts_any_subset_and_names_the_bad_field() -> None:
    assert check_known({"threat_level": "low"}) == {"threat_level": "low"}
    with pytest.raises(ValueError, match="threat_level: 'severe' is not one of none, low"):
        check_known({"threat_level": "severe"})
    with pytest.raises(ValueError, match="rival_ties"):
        check_known({"rival_ties": "true"})
    with pytest.raises(ValueError, match="unknown fact"):
        check_known({"colour": "red"})


def test_as_known_turns_a_model_into_a_plain_mapping() -> None:
    # the optional facts hold their default, and the derived grouping fact is false by default
    assert as_known(Facts.model_validate(VALID)) == {**VALID, **OPTIONAL_DEFAULTS, "grouping": False}
    assert as_known(Facts.model_validate({**VALID, "grouping": True}))["grouping"] is True


def test_plausible_values_say_nothing_only_when_they_cover_the_whole_scale() -> None:
    scale = scales()["threat_level"]
    assert scale.says_nothing(scale.values) and scale.says_nothing(reversed(scale.values))
    assert not scale.says_nothing(("high", "existential"))
    assert scales()["rival_ties"].says_nothing((True, False))


# --- optional facts: given or not, their default when not -------------------------------------


def test_the_facts_come_in_three_kinds_required_optional_and_derived() -> None:
    assert len(REQUIRED_FACTS) == 13 and FACT_NAMES == REQUIRED_FACTS
    assert OPTIONAL_FACTS == ("standing_commitment", "standing_forum")
    assert DERIVED_FACTS == ("grouping",)
    assert (*REQUIRED_FACTS, *OPTIONAL_FACTS) == ASKED_FACTS
    assert set(ALL_FACTS) == set(scales()) and len(ALL_FACTS) == 16
    assert OPTIONAL_DEFAULTS == {"standing_commitment": False, "standing_forum": False}


def test_an_optional_fact_left_out_holds_its_default_and_is_known_as_not_given() -> None:
    facts = Facts.model_validate(VALID)
    assert facts.standing_commitment is False
    assert not_given(facts) == OPTIONAL_FACTS
    given = Facts.model_validate({**VALID, "standing_commitment": False})
    assert not_given(given) == ("standing_forum",)
    assert given_facts(given) == {**VALID, "standing_commitment": False, "grouping": False}
    both = Facts.model_validate({**VALID, "standing_commitment": False, "standing_forum": True})
    assert not_given(both) == () and both.standing_forum is True
    assert show_defaulted("standing_commitment") == "false (default: not given)"


def test_a_required_fact_stays_required_and_an_optional_one_is_checked_like_the_others() -> None:
    with pytest.raises(ValueError, match="threat_level"):
        Facts.model_validate({k: v for k, v in VALID.items() if k != "threat_level"})
    with pytest.raises(ValueError, match="standing_commitment: 'central' is not a boolean"):
        check_known({"standing_commitment": "central"})
    with pytest.raises(ValueError, match="standing_commitment"):
        check_known({"standing_commitment": "yes"})


def test_standing_commitment_applies_only_to_a_grouping() -> None:
    assert not applies("standing_commitment", {}) and not applies("standing_commitment", {"grouping": False})
    assert applies("standing_commitment", {"grouping": True})
    assert applies("threat_level", {}) and applies("threat_level", {"grouping": False})
