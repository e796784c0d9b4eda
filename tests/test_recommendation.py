"""The Recommendation: its JSON is the FACTS.md contract, and its reasons agree with its trace."""

from __future__ import annotations

import json

from advisor.cases import Case
from advisor.facts import Facts
from advisor.recommendation import advise
from advisor.rulebase import load_knowledge_base

NATO = {
    "threat_level": "existential",
    "shared_adversary": "full",
    "power_asymmetry": "high",
    "ratification_cost": "high",
    "existing_ties": "partnership",
    "economic_interdependence": "medium",
    "value_alignment": "high",
    "governance_alignment": "high",
    "entrapment_risk": "moderate",
    "rival_ties": False,
    "autonomy_tradition": True,
    "issue_scope": "security",
    "nonstate_actors_essential": False,
}


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


def test_signals_for_are_on_the_chain_of_the_deciding_rule() -> None:
    rec = advise(NATO)
    chain_rules = [f.rule for f in rec.chain()]
    assert chain_rules[-1] == rec.deciding_rule
    assert "red_line_crossed" in rec.signals_for
    declared = {d for f in rec.chain() for d in f.declared}
    assert set(rec.signals_for) <= declared


def test_losing_proposals_and_signals_against_come_from_other_outcomes() -> None:
    dyad = {
        **NATO,
        "threat_level": "high",
        "autonomy_tradition": True,
        "economic_interdependence": "high",
        "issue_scope": "multi_sector",
    }
    rec = advise(dyad)
    assert rec.outcome != "alliance"
    assert rec.losing and all(p.lost_to == rec.deciding_rule for p in rec.losing)
    assert not set(rec.signals_against) & set(rec.signals_for)


def test_cautions_carry_the_text_of_their_rule() -> None:
    rec = advise(NATO)
    kb = load_knowledge_base()
    assert rec.cautions
    for caution in rec.cautions:
        assert caution.text == kb.rule(caution.rule).caution
