"""The bundled case library: two blind codings of the same real arrangements, a sealed split,
and a real development case for each outcome."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from advisor.cases import Case, load_file
from advisor.documents import read_document
from advisor.engine import advise
from advisor.outcomes import OUTCOME_IDS

CASES = Path(__file__).resolve().parent.parent / "cases"


def library(folder: str = "library") -> dict[str, Case]:
    loaded: dict[str, Case] = {}
    for path in sorted((CASES / folder).glob("*.yaml")):
        cases, errors = load_file(path)
        assert not errors, errors
        for item in cases:
            assert item.case.id == path.stem, path
            loaded[path.stem] = item.case
    return loaded


def sealed() -> set[str]:
    """Return the sealed cases: the split drawn before any rule edit, and every fresh batch added after."""
    split = read_document(CASES.parent / "bench" / "sealed-split.yaml").data
    return set().union(*(set(ids) for name, ids in split.items() if name != "seed"))


def test_every_case_is_valid_sourced_and_named_after_its_file() -> None:
    cases = library()
    assert len(cases) >= 150
    for case in cases.values():
        assert case.expected in OUTCOME_IDS, case.id
        assert case.sources and case.notes and case.year, case.id
        assert len(case.parties) >= 2, case.id
        assert not case.contested, case.id  # the library codes one best value per fact


def test_the_second_coding_codes_the_same_arrangements() -> None:
    first, second = library(), library("second")
    assert set(first) == set(second)
    for case_id, case in first.items():
        assert (case.title, case.year, case.parties) == (
            second[case_id].title,
            second[case_id].year,
            second[case_id].parties,
        )


def test_the_library_covers_every_outcome_and_coordination_stays_china_russia() -> None:
    cases = library()
    counts = Counter(case.expected for case in cases.values())
    assert set(counts) == set(OUTCOME_IDS)
    for case in cases.values():
        if case.expected == "coordination":
            assert set(case.parties) == {"China", "Russia"}, case.id


def test_the_sealed_split_is_a_third_of_every_outcome() -> None:
    cases, held = library(), sealed()
    assert held <= set(cases)
    assert len(held) * 3 >= len(cases)
    for outcome in OUTCOME_IDS:
        assert any(cases[i].expected == outcome for i in held), outcome


@pytest.mark.parametrize(
    ("case_id", "outcome"),
    [
        ("us-south-korea-1953", "alliance"),
        ("vietnam-new-zealand-2009", "partnership"),
        ("us-india-2005", "strategic"),
        ("china-serbia-2016", "comprehensive"),
        ("china-russia-2014", "coordination"),
        ("cepi-2017", "coalition"),
    ],
)
def test_a_real_development_case_for_each_outcome(case_id: str, outcome: str) -> None:
    assert case_id not in sealed()  # sealed cases never steer the rules, nor the tests
    case = library()[case_id]
    assert case.expected == outcome
    assert advise(case).outcome == outcome
