"""The claims table: every claim of the seeds that bears on the choice has a rule, and every rule a claim."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.rulebase import load_knowledge_base

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = ROOT / "rules" / "about" / "claims.yaml"
DIRECTIONS = {"for", "against", "caution", "definition"}


def _norm(text: str) -> str:
    return " ".join(text.split())


def _overlap(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    return a in b or b in a


@pytest.fixture(scope="module")
def claims() -> list[dict[str, Any]]:
    data = yaml.safe_load(CLAIMS.read_text())
    assert isinstance(data, list) and data
    return data


def test_every_claim_is_well_formed_and_unique(claims: list[dict[str, Any]]) -> None:
    ids = [c["id"] for c in claims]
    assert len(ids) == len(set(ids))
    for claim in claims:
        assert claim["direction"] in DIRECTIONS, claim["id"]
        assert claim["claim"].strip() and claim["passage"].strip(), claim["id"]


def test_every_claim_is_carried_by_a_rule_that_exists(claims: list[dict[str, Any]]) -> None:
    kb = load_knowledge_base()
    for claim in claims:
        assert claim["rules"], f"{claim['id']} has no rule: write one, or drop a claim that bears on nothing"
        for rule_id in claim["rules"]:
            assert rule_id in kb.by_id, (claim["id"], rule_id)


def test_every_rule_rests_on_a_passage_of_the_table(claims: list[dict[str, Any]]) -> None:
    kb = load_knowledge_base()
    for rule in kb.rules:
        held = [
            c for c in claims if c["seed"] == rule.source.seed and _overlap(c["passage"], rule.source.passage)
        ]
        assert held, f"{rule.id}: its passage is in no claim of {CLAIMS.name}"
        assert any(rule.id in c["rules"] for c in held), f"{rule.id} is not listed by the claims it rests on"


def test_every_claim_is_quoted_verbatim_from_its_seed(claims: list[dict[str, Any]], shared: Path) -> None:
    kb = load_knowledge_base()
    texts = {k: _norm((shared / "seeds" / s.file).read_text()) for k, s in kb.seeds.items()}
    for claim in claims:
        assert _norm(claim["passage"]) in texts[claim["seed"]], claim["id"]
