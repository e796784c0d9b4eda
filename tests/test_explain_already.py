"""``explain --set`` with a fact the case already has: the JSON lists it, as the text says it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.facts import fact_label, show

from running import in_process

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "library" / "us-japan-1960.yaml"  # threat high, value alignment high
# every field of what_if before `already` was added: none may go (the JSON is a public contract)
FIELDS = [
    "case",
    "changes",
    "before",
    "after",
    "outcome_changed",
    "sentence",
    "fired_only_before",
    "fired_only_after",
    "signals_gained",
    "signals_lost",
    "cautions_gained",
    "cautions_lost",
]


def explained(*settings: str, as_json: bool) -> str:
    args = [a for s in settings for a in ("--set", s)]
    result = in_process("explain", CASE, *args, *(["--json"] if as_json else []), columns=200)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


@pytest.mark.parametrize(
    ("settings", "already", "changed"),
    [
        (["threat_level=high"], [{"fact": "threat_level", "value": "high"}], []),
        (
            ["threat_level=high", "value_alignment=low", "rival_ties=false"],
            [{"fact": "threat_level", "value": "high"}, {"fact": "rival_ties", "value": False}],
            ["value_alignment"],
        ),
        (["value_alignment=low"], [], ["value_alignment"]),
    ],
)
def test_the_json_lists_the_facts_already_so_as_the_text_says_them(
    settings: list[str], already: list[dict[str, object]], changed: list[str]
) -> None:
    data = json.loads(explained(*settings, as_json=True))["what_if"]
    assert list(data)[: len(FIELDS)] == FIELDS
    assert data["already"] == already
    assert [c["fact"] for c in data["changes"]] == changed
    text = " ".join(explained(*settings, as_json=False).split())
    for item in already:
        fact = str(item["fact"])
        assert f"{fact_label(fact)} is already {show(fact, item['value'])}" in text
    if not already:
        assert "already" not in text.split("Closest precedents")[0]


def test_the_docs_describe_the_field() -> None:
    docs = (ROOT / "docs" / "case-format.md").read_text(encoding="utf-8")
    assert "`already` lists the facts\nasked for that already had the value" in docs
