"""Explanations: how, why not, what if and sensitivity agree with direct runs of the real engine.

The constructed cases below are built by reasoning over the bundled rules; each
test first asserts the facts of the rule base its expectation rests on, so that
a change of rules fails with a message saying which premise moved.

Golden files: ``UPDATE_GOLDEN=1 uv run pytest tests/test_explain.py`` rewrites
``tests/golden/explain.txt``; review the diff before committing it.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from advisor.cases import load_file
from advisor.engine import Recommendation, advise, get_engine, may_recommend
from advisor.explain import (
    FactChange,
    engine_for,
    explanation,
    how,
    parse_setting,
    relevant_facts,
    sensitivity,
    steps,
    what_if,
    why_not,
)
from advisor.facts import FACT_NAMES, FactValue, scales
from advisor.outcomes import OUTCOME_IDS
from advisor.render.explain import how_tree, sensitivity_view, what_if_view, why_not_view
from advisor.rulebase import load_knowledge_base

from running import GOLDEN, US_JAPAN, advisor, check_golden, contested_case, examples, in_process, trimmed

ROOT = Path(__file__).resolve().parent.parent
CASE = GOLDEN / "case.yaml"

# A severe, fully shared threat about defense, nothing that hedges, a treaty costly to ratify.
TREATY_BARRIER: dict[str, FactValue] = {
    **US_JAPAN,
    "power_asymmetry": "moderate",
    "existing_ties": "none",
    "economic_interdependence": "low",
    "value_alignment": "medium",
    "governance_alignment": "medium",
    "entrapment_risk": "low",
}
# The same threat, but the sides hedge: ties to the rival, a tradition of autonomy, high entrapment risk.
HEDGED = {**TREATY_BARRIER, "rival_ties": True, "autonomy_tradition": True, "entrapment_risk": "high"}
# Everything about defense, but no threat at all.
NO_THREAT = {**TREATY_BARRIER, "threat_level": "none", "ratification_cost": "low"}
# Far from the top tier on every count.
FAR_FROM_COORDINATION = {
    **TREATY_BARRIER,
    "power_asymmetry": "high",
    "shared_adversary": "none",
    "governance_alignment": "low",
}

SETTINGS = settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(facts: dict[str, FactValue]) -> str:
    return get_engine().run(facts).outcome


def fired(rec: Recommendation) -> set[str]:
    return {f.rule for f in rec.trace}


def partial_dyads() -> st.SearchStrategy[dict[str, FactValue]]:
    """Random dyads in which every fact may also be unknown."""
    fields = {name: st.sampled_from((None, *scales()[name].values)) for name in FACT_NAMES}
    return st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not None})


def single_changes(facts: dict[str, FactValue]) -> list[tuple[str, FactValue]]:
    """Every change of one fact to another value, unknown facts included."""
    return [(n, v) for n in FACT_NAMES for v in scales()[n].values if facts.get(n) != v]


# --- why not: constructed cases ----------------------------------------------------------------


def test_autonomy_on_top_of_ties_to_the_rival_turns_an_alliance_into_a_quasi_alliance() -> None:
    kb = load_knowledge_base()
    assert kb.rule("ALX-04").cf is not None and kb.rule("ALX-04").cf < 0  # rival ties weigh against
    assert kb.rule("ALX-03").cf is not None and kb.rule("ALX-03").cf < 0  # and so does autonomy
    assert "strategic" in kb.rule("STR-05").outcomes  # a quasi-alliance weighs for a partnership
    rivals = {**TREATY_BARRIER, "rival_ties": True}
    rec = advise(rivals)
    assert rec.outcome == "alliance" and "ALL-01" in fired(rec) and rec.confidence != "clear"
    answer = why_not(rivals, "strategic")
    assert answer.changes == (FactChange("autonomy_tradition", False, True),)
    assert answer.sentence() == (
        "If autonomy tradition were true rather than false, the advisor would recommend "
        "Strategic Partnership (STR-05)."
    )
    assert answer.after is not None and "quasi_alliance" in answer.after.signals
    assert "ALL-01" in {b.rule for b in answer.blockers if b.role == "rival"}


def test_hedging_is_undone_by_the_ties_to_the_rival_and_each_counterweight_is_named() -> None:
    rec = advise(HEDGED)
    assert rec.outcome != "alliance"
    answer = why_not(HEDGED, "alliance")
    assert answer.changes == (FactChange("rival_ties", True, False),)
    assert answer.after is not None and answer.after.outcome == "alliance"
    against = {b.rule for b in answer.blockers if b.role == "against"}
    assert {"ALX-01", "ALX-03", "ALX-04"} <= against


def test_within_a_count_the_smallest_step_on_an_ordered_scale_wins() -> None:
    kb = load_knowledge_base()
    assert kb.rule("ALX-07").facts[0].values == ("none", "low")
    assert outcome({**NO_THREAT, "threat_level": "moderate"}) == "alliance"
    answer = why_not(NO_THREAT, "alliance")
    # 'moderate' (two steps up from 'none') already gives an alliance; 'high' would be three.
    assert answer.changes == (FactChange("threat_level", "none", "moderate"),)
    assert answer.changes[0].steps == 2


def test_out_of_reach_is_said_and_is_true_for_one_change() -> None:
    answer = why_not(FAR_FROM_COORDINATION, "coordination", max_changes=1)
    assert not answer.found and answer.changes == () and answer.after is None
    assert answer.sentence().startswith("No change of up to 1 facts makes the advisor recommend")
    for name, value in single_changes(FAR_FROM_COORDINATION):
        assert outcome({**FAR_FROM_COORDINATION, name: value}) != "coordination"
    deeper = why_not(FAR_FROM_COORDINATION, "coordination", max_changes=2)
    assert deeper.found and len(deeper.changes) == 2
    assert deeper.after is not None and deeper.after.outcome == "coordination"


def test_the_current_outcome_is_already_recommended() -> None:
    target = outcome(TREATY_BARRIER)
    answer = why_not(TREATY_BARRIER, target)
    assert answer.already and answer.found and answer.changes == () and answer.blockers == ()
    assert answer.sentence().startswith("The advisor already recommends")


def test_unknown_facts_can_be_set_by_the_search() -> None:
    answer = why_not({"issue_scope": "multi_sector"}, "coalition")
    assert answer.found and answer.changes
    assert all(c.before is None or c.fact == "issue_scope" for c in answer.changes)
    assert answer.after is not None and answer.after.outcome == "coalition"
    assert any(c.before is None for c in answer.changes) == ("(now unknown)" in answer.sentence())
    from_nothing = why_not({}, "alliance")
    assert from_nothing.changes == (FactChange("issue_scope", None, "security"),)
    assert "(now unknown)" in from_nothing.sentence()


def test_an_unknown_target_is_refused_with_the_six_ids() -> None:
    with pytest.raises(ValueError, match=", ".join(OUTCOME_IDS)):
        why_not(TREATY_BARRIER, "entente")


# --- properties: answers agree with the engine ----------------------------------------------


@pytest.mark.slow
@SETTINGS
@given(partial_dyads(), st.sampled_from(OUTCOME_IDS))
def test_why_not_answers_are_verified_and_no_single_change_does_better(
    facts: dict[str, FactValue], target: str
) -> None:
    answer = why_not(facts, target, max_changes=2)
    if answer.already:
        assert outcome(facts) == target
        return
    better = []
    for name, value in single_changes(facts):
        if outcome({**facts, name: value}) == target:
            rank = scales()[name].rank(value)
            better.append((steps(name, facts.get(name), value), FACT_NAMES.index(name), rank, name, value))
    if not answer.found:
        assert not better
        return
    changed = {**facts, **{c.fact: c.after for c in answer.changes if c.after is not None}}
    assert outcome(changed) == target
    assert answer.after is not None and answer.after.outcome == target
    if len(answer.changes) > 1:
        assert not better
    else:
        (change,) = answer.changes
        assert min(better)[3:] == (change.fact, change.after)


@settings(max_examples=examples(300), deadline=None)
@given(partial_dyads())
def test_the_pruning_never_rejects_what_the_engine_concludes(facts: dict[str, FactValue]) -> None:
    kb = load_knowledge_base()
    actual = outcome(facts)
    assert may_recommend(kb, facts, actual)
    assert not any(may_recommend(kb, facts, other) for other in OUTCOME_IDS if other != actual)


@settings(max_examples=examples(150), deadline=None)
@given(partial_dyads(), st.sampled_from(OUTCOME_IDS), st.data())
def test_facts_outside_the_relevant_set_never_decide_the_target(
    facts: dict[str, FactValue], target: str, data: st.DataObject
) -> None:
    others = [n for n in FACT_NAMES if n not in relevant_facts(load_knowledge_base(), target)]
    if not others:
        return
    name = data.draw(st.sampled_from(others))
    value = data.draw(st.sampled_from(scales()[name].values))
    assert (outcome(facts) == target) == (outcome({**facts, name: value}) == target)


@SETTINGS
@given(partial_dyads(), st.data())
def test_what_if_agrees_with_direct_runs(facts: dict[str, FactValue], data: st.DataObject) -> None:
    names = data.draw(st.lists(st.sampled_from(FACT_NAMES), min_size=1, max_size=3, unique=True))
    changes = {n: data.draw(st.sampled_from(scales()[n].values)) for n in names}
    answer = what_if(facts, changes)
    before, after = advise(facts), advise({**facts, **changes})
    assert answer.before.to_dict() == before.to_dict()
    assert answer.after.to_dict() == after.to_dict()
    assert answer.outcome_changed == (before.outcome != after.outcome)
    assert {c.fact for c in answer.changes} == {n for n in names if facts.get(n) != changes[n]}
    assert set(answer.fired_only_before) == fired(before) - fired(after)
    assert set(answer.fired_only_after) == fired(after) - fired(before)
    cautions_before, cautions_after = {c.rule for c in before.cautions}, {c.rule for c in after.cautions}
    assert set(answer.cautions_gained) == cautions_after - cautions_before
    assert set(answer.cautions_lost) == cautions_before - cautions_after


@pytest.mark.slow
@settings(max_examples=examples(20), deadline=None)
@given(partial_dyads())
def test_sensitivity_lists_exactly_the_single_changes_that_alter_the_outcome(
    facts: dict[str, FactValue],
) -> None:
    analysis = sensitivity(facts)
    base = outcome(facts)
    direct = set()
    for name, value in single_changes(facts):
        after = outcome({**facts, name: value})
        if after != base:
            direct.add((name, value, after))
    assert {(f.change.fact, f.change.after, f.outcome) for f in analysis.flips} == direct
    assert analysis.tried == len(single_changes(facts))
    assert analysis.stable == (not direct)
    assert set(analysis.hinges_on) == {name for name, _, _ in direct}


def test_what_if_forgets_a_fact_set_to_none_and_refuses_bad_values() -> None:
    answer = what_if(TREATY_BARRIER, {"value_alignment": None})
    assert "value_alignment" not in answer.after.facts
    assert answer.changes == (FactChange("value_alignment", "medium", None),)
    with pytest.raises(ValueError, match="low, moderate, high"):
        what_if(TREATY_BARRIER, {"ratification_cost": "extreme"})
    with pytest.raises(ValueError, match="unknown fact"):
        what_if(TREATY_BARRIER, {"treaty_cost": "low"})


def test_a_recommendation_from_another_rules_directory_is_explained_by_its_own_engine(
    tmp_path: Path,
) -> None:
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    engine = get_engine(tmp_path / "rules")
    rec = advise(TREATY_BARRIER, engine=engine)
    assert rec.kb is not load_knowledge_base()
    assert engine_for(rec, None).kb is rec.kb
    answer = why_not(rec, "partnership")
    assert answer.after is not None and answer.after.kb is rec.kb


# --- how ----------------------------------------------------------------------------------------


def test_how_is_a_tree_over_exactly_the_chain_of_the_recommendation() -> None:
    rec = advise(TREATY_BARRIER)
    explained = how(rec)
    assert explained.root.rule == rec.deciding_rule == explained.deciding_rule
    rules, pending = [], [explained.root]
    while pending:
        step = pending.pop()
        rules.append(step.rule)
        rationale = load_knowledge_base().rule(step.rule).rationale
        assert step.rationale == rationale
        pending += [r.step for r in step.reasons if r.step is not None]
    assert sorted(rules) == sorted(f.rule for f in rec.chain())
    assert "THR-01" in rules and "threat level is high" in str(explained.to_dict())


# --- values, JSON -------------------------------------------------------------------------------


def test_parse_setting_reads_case_file_spelling_and_names_the_allowed_values() -> None:
    assert parse_setting("ratification_cost=low") == ("ratification_cost", "low")
    assert parse_setting("rival_ties=false") == ("rival_ties", False)
    with pytest.raises(ValueError, match="ratification_cost is one of low, moderate, high"):
        parse_setting("ratification_cost=extreme")
    with pytest.raises(ValueError, match="threat_level"):
        parse_setting("treaty=low")
    with pytest.raises(ValueError, match="fact=value"):
        parse_setting("ratification_cost")


def test_every_explanation_is_plain_json() -> None:
    shapes = {
        "how": (
            how(TREATY_BARRIER),
            {
                "recommendation",
                "deciding_rule",
                "chain",
                "sentence",
                "ledgers",
                "confidence",
                "counterweights",
            },
        ),
        "why_not": (
            why_not({**TREATY_BARRIER, "rival_ties": True}, "strategic"),
            {"target", "found", "changes", "after", "blockers", "unmet", "sentence", "steps"},
        ),
        "what_if": (
            what_if(TREATY_BARRIER, {"ratification_cost": "low"}),
            {"changes", "before", "after", "outcome_changed", "signals_gained", "cautions_lost"},
        ),
        "sensitivity": (sensitivity(TREATY_BARRIER), {"stable", "summary", "hinges_on", "flips", "tried"}),
    }
    for name, (answer, keys) in shapes.items():
        data = json.loads(json.dumps(answer.to_dict()))
        assert keys <= set(data), name
    answer = why_not({**TREATY_BARRIER, "rival_ties": True}, "strategic")
    changes = json.loads(json.dumps(answer.to_dict()))["changes"]
    assert changes == [{"fact": "autonomy_tradition", "from": False, "to": True, "steps": 1}]


# --- rendering: golden file ---------------------------------------------------------------------


def test_terminal_renderings_match_the_golden_file() -> None:
    case = load_file(CASE)[0][0].case
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None, force_terminal=False)
    console.print(how_tree(how(case)))
    console.print(why_not_view(why_not(case, "alliance")))
    console.print(why_not_view(why_not(case, "comprehensive")))
    console.print(what_if_view(what_if(case, {"ratification_cost": "low", "rival_ties": False})))
    console.print(sensitivity_view(sensitivity(case)))
    check_golden(GOLDEN / "explain.txt", trimmed(out.getvalue()))


def test_an_explanation_is_how_and_one_line_of_sensitivity_unless_something_is_asked() -> None:
    engine = get_engine()
    plain = explanation(TREATY_BARRIER, engine=engine)
    assert list(plain.parts()) == ["how", "sensitivity"] and not plain.full_sensitivity
    lower = {"ratification_cost": "low"}
    asked = explanation(TREATY_BARRIER, engine=engine, changes=lower, why_not="coalition", sensitivity=True)
    assert list(asked.parts()) == ["what_if", "why_not", "sensitivity"] and asked.full_sensitivity
    assert asked.what_if is not None and asked.recommendation == asked.what_if.after
    assert asked.why_not is not None and asked.why_not.outcome == asked.recommendation.outcome
    keys = ["case", "recommendation", "what_if", "why_not", "sensitivity"]
    assert list(asked.to_dict()) == keys


# --- the command line ---------------------------------------------------------------------------


@pytest.mark.slow  # a whole process; the default run keeps faster tests of the same area
def test_explain_shows_the_tree_and_a_one_line_sensitivity() -> None:
    result = advisor("explain", str(CASE))
    assert result.returncode == 0, result.stderr
    assert "Recommendation: Strategic Partnership" in result.stdout
    assert "because broad_agenda" in result.stdout
    assert "Hinges on" in result.stdout or "Stable under every single change" in result.stdout


@pytest.mark.slow
def test_explain_json_carries_each_explanation_asked_for() -> None:
    result = advisor("explain", str(CASE), "--json", "--why-not", "comprehensive", "--sensitivity")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["case"] == "freedonia-sylvania" and data["recommendation"] == "strategic"
    assert data["why_not"]["target"] == "comprehensive" and data["why_not"]["found"]
    assert {"flips", "stable"} <= set(data["sensitivity"]) and "how" not in data


@pytest.mark.slow
def test_explain_set_agrees_with_a_direct_run() -> None:
    result = advisor(
        "explain", str(CASE), "--json", "--set", "ratification_cost=low", "--set", "rival_ties=false"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)["what_if"]
    facts = load_file(CASE)[0][0].case.facts.model_dump()
    direct = advise({**facts, "ratification_cost": "low", "rival_ties": False})
    assert data["after"]["recommendation"] == direct.outcome
    assert data["after"]["deciding_rule"] == direct.deciding_rule
    assert [c["fact"] for c in data["changes"]] == ["ratification_cost", "rival_ties"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--why-not", "entente"), ", ".join(OUTCOME_IDS)),
        (("--set", "ratification_cost=extreme"), "ratification_cost is one of low, moderate, high"),
        (("--set", "treaty_cost=low"), "threat_level"),
        (("--set", "rival_ties"), "fact=value"),
    ],
)
def test_explain_refuses_bad_options_in_one_line_with_status_2(args: tuple[str, ...], expected: str) -> None:
    result = advisor("explain", str(CASE), *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and "Traceback" not in result.stderr


@pytest.mark.slow
def test_explain_on_a_missing_file_fails_in_one_line() -> None:
    result = advisor("explain", "no-such-case.yaml")
    assert result.returncode == 2 and result.stderr.count("\n") == 1


def test_explaining_a_contested_case_says_which_reading_it_follows(tmp_path: Path) -> None:
    path = contested_case(tmp_path, entrapment_risk="[low, high]")
    data = json.loads(in_process("explain", path, "--json").stdout)
    assert data["contested"] == {"entrapment_risk": ["low", "high"]}
    assert data["facts"]["entrapment_risk"] in ("low", "high")
    assert sum(data["readings"].values()) == pytest.approx(1.0)
    assert data["robust"] == (data["readings"].get(data["recommendation"]) == 1.0)
    shown = in_process("explain", path).stdout
    assert "Readings: " in shown and "reading that gives this advice: entrapment risk" in " ".join(
        shown.split()
    )
