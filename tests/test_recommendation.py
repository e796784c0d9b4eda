"""The Recommendation: its JSON is the FACTS.md contract, and its reasons agree with its trace."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from advisor.cases import Case
from advisor.engine import advise, confidence, support
from advisor.facts import Facts
from advisor.rulebase import load_knowledge_base

from running import US_JAPAN

NATO = {**US_JAPAN, "threat_level": "existential", "existing_ties": "partnership", "autonomy_tradition": True}


def test_advise_accepts_a_case_a_facts_model_or_a_mapping_alike() -> None:
    case = Case.model_validate({"id": "nato", "parties": ["A", "B"], "facts": NATO})
    by_case, by_model, by_dict = advise(case), advise(Facts.model_validate(NATO)), advise(NATO)
    assert by_case.case == "nato" and by_model.case is None
    assert by_case.trace == by_model.trace == by_dict.trace
    assert by_case.outcome == "alliance"


def test_the_json_has_the_fields_facts_md_promises() -> None:
    data = json.loads(json.dumps(advise(NATO).to_dict()))
    assert {"case", "recommendation", "label", "deciding_rule", "cautions", "trace"} <= set(data)
    assert data["label"] == "Alliance"
    kb = load_knowledge_base()
    for caution in data["cautions"]:
        assert set(caution) >= {"rule", "text"} and kb.rule(caution["rule"]).kind == "caution"
    for i, step in enumerate(data["trace"], start=1):
        assert step["step"] == i
        assert set(step) >= {"step", "rule", "matched", "declared"}
        kb.rule(step["rule"])


def test_signals_for_rest_under_the_evidence_for_the_outcome() -> None:
    rec = advise(NATO)
    chain_rules = [f.rule for f in rec.chain()]
    assert chain_rules[-1] == rec.deciding_rule
    assert rec.deciding_rule in {e.rule for e in rec.evidence_on(rec.outcome) if e.cf > 0}
    assert "credible_commitment_needed" in rec.signals_for
    pro = [e.rule for e in rec.evidence if e.outcome == rec.outcome and e.cf > 0]
    declared = {d for rule in pro for f in support(rec.trace, rule) for d in f.declared}
    assert set(rec.signals_for) <= declared


def test_the_runner_up_the_margin_and_the_confidence_agree_with_the_beliefs() -> None:
    dyad = {
        **NATO,
        "threat_level": "high",
        "autonomy_tradition": True,
        "economic_interdependence": "high",
        "issue_scope": "multi_sector",
    }
    rec = advise(dyad)
    ranked = list(rec.beliefs)
    assert ranked[0] == rec.outcome and ranked[1] == rec.runner_up
    assert rec.margin == pytest.approx(rec.beliefs[rec.outcome] - rec.beliefs[ranked[1]])
    assert rec.confidence == confidence(rec.margin, holds=not rec.hinges_on)
    assert not set(rec.signals_against) & set(rec.signals_for)
    data = rec.to_dict()
    assert data["confidence"] in ("clear", "leaning", "close") and data["runner_up"] == rec.runner_up
    assert data["readings"] == {rec.outcome: 1.0}


def test_a_contested_fact_is_reasoned_over_every_reading() -> None:
    contested = {**NATO, "threat_level": ["moderate", "existential"], "value_alignment": "unknown"}
    case = Case.model_validate({"id": "c", "parties": ["A", "B"], "facts": contested})
    assert case.readings == 2 * 3
    rec = advise(case)
    expected = Counter(
        advise({**NATO, "threat_level": t, "value_alignment": v}).outcome
        for t in ("moderate", "existential")
        for v in ("low", "medium", "high")
    )
    assert rec.readings == {o: n / 6 for o, n in expected.items()}
    assert rec.outcome == expected.most_common(1)[0][0]
    assert rec.robust == (len(expected) == 1)
    assert rec.facts["threat_level"] in ("moderate", "existential")
    assert rec.to_dict()["contested"]["value_alignment"] == ["low", "medium", "high"]


def test_cautions_carry_the_text_of_their_rule() -> None:
    rec = advise(NATO)
    kb = load_knowledge_base()
    assert rec.cautions
    for caution in rec.cautions:
        assert caution.text == kb.rule(caution.rule).caution
