"""The bundled case library: valid, sourced, covering every outcome, and one real case per outcome."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from advisor.cases import load_file
from advisor.outcomes import OUTCOME_IDS
from advisor.recommendation import advise

CASES = Path(__file__).resolve().parent.parent / "cases"


def library() -> list:
    loaded = []
    for path in sorted(CASES.glob("*.yaml")):
        cases, errors = load_file(path)
        assert not errors, errors
        loaded += [c.case for c in cases]
    return loaded


def test_every_case_is_valid_sourced_and_named_after_its_file() -> None:
    cases = library()
    assert len(cases) >= 12
    for case in cases:
        assert case.expected in OUTCOME_IDS, case.id
        assert case.sources, case.id
        assert (CASES / f"{case.id}.yaml").is_file(), case.id
        assert len(case.parties) >= 2, case.id


def test_the_library_covers_every_outcome() -> None:
    counts = Counter(case.expected for case in library())
    assert set(counts) == set(OUTCOME_IDS)


@pytest.mark.parametrize(
    ("case_id", "outcome"),
    [
        ("nato-1949", "alliance"),
        ("us-vietnam-2013", "partnership"),
        ("us-india-2005", "strategic"),
        ("vietnam-china-2008", "comprehensive"),
        ("china-russia-2019", "coordination"),
        ("gavi-2000", "coalition"),
    ],
)
def test_a_real_case_for_each_outcome(case_id: str, outcome: str) -> None:
    (loaded,), errors = load_file(CASES / f"{case_id}.yaml")
    assert not errors
    assert loaded.case.expected == outcome
    assert advise(loaded.case).outcome == outcome
