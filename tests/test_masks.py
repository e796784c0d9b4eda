"""The bit-mask evaluator reads the rule base as the reference does; "clear" means a lead that holds.

``engine.masks`` is a second, faster reading of the rule base; it is held here to
``engine.beliefs`` (the three-valued reading, itself held to experta in
test_directions.py), belief for belief and in the same order. A recommendation
is *clear* only when its lead is at least CLEAR_MARGIN and no one-notch change of a
single answer alters it: checked against advising every such neighbour anew.
"""

from __future__ import annotations

import dataclasses
import random
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings

from advisor.cases import Case
from advisor.engine import Engine, advise, get_engine, masks
from advisor.engine.beliefs import beliefs
from advisor.engine.certainty import CLEAR_MARGIN
from advisor.engine.logic import plan
from advisor.engine.masks import hinges, masks_of, one_notch
from advisor.facts import DERIVED_FACTS, FactValue, fact_label, scales
from advisor.rulebase import load_knowledge_base

from running import US_JAPAN, dyads_some_absent, examples

SETTINGS = settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(dyads_some_absent())
def test_the_masks_give_the_reference_beliefs_in_the_same_order(facts: dict[str, FactValue]) -> None:
    kb = load_knowledge_base()
    compiled = masks_of(kb)
    reference = beliefs(kb, facts)
    fast = compiled.beliefs(compiled.fired(facts))
    assert list(fast.items()) == list(reference.items())
    assert compiled.outcome(facts) == next(iter(reference))


@SETTINGS
@given(dyads_some_absent())
def test_hinges_are_the_facts_whose_one_notch_change_alters_the_outcome(facts: dict[str, FactValue]) -> None:
    kb = load_knowledge_base()
    outcome = next(iter(beliefs(kb, facts)))
    expected = []
    for fact, value in one_notch(facts):
        if fact not in expected and next(iter(beliefs(kb, {**facts, fact: value}))) != outcome:
            expected.append(fact)
    assert hinges(kb, facts, outcome) == tuple(expected)


def test_what_the_masks_remember_never_changes_a_value(monkeypatch: pytest.MonkeyPatch) -> None:
    kb = load_knowledge_base()
    compiled = masks_of(kb)
    dyads = _complete_dyads()
    for forget in (False, True):  # remembered from the first pass, then forgotten at every step
        if forget:
            monkeypatch.setattr(masks, "_REMEMBERED", 1)
            for remembered in (compiled.settled, *compiled.combined):
                remembered.clear()
        for facts in dyads:
            reference = beliefs(kb, facts)
            assert list(compiled.beliefs(compiled.fired(facts)).items()) == list(reference.items())
            outcome = next(iter(reference))
            moved = [f for f, v in one_notch(facts) if next(iter(beliefs(kb, {**facts, f: v}))) != outcome]
            assert hinges(kb, facts, outcome) == tuple(dict.fromkeys(moved))
    assert len(compiled.settled) <= 1 and all(len(c) <= 1 for c in compiled.combined)


def test_one_notch_moves_one_given_fact_one_step_and_leaves_the_unordered_and_derived_alone() -> None:
    facts = {**US_JAPAN, "threat_level": "none", "rival_ties": True}
    changes = list(one_notch(facts))
    assert ("threat_level", "low") in changes and ("threat_level", "moderate") not in changes
    assert ("rival_ties", False) in changes
    assert not {f for f, _ in changes} & {"issue_scope", *DERIVED_FACTS}
    table = scales()
    for fact, value in changes:
        before, after = table[fact].values.index(facts[fact]), table[fact].values.index(value)
        assert abs(before - after) == 1
    assert not [f for f, _ in one_notch({"threat_level": "low"}) if f != "threat_level"]


@pytest.mark.slow
@SETTINGS
@given(dyads_some_absent())
def test_clear_means_a_wide_lead_that_no_one_notch_change_takes_away(facts: dict[str, FactValue]) -> None:
    engine = get_engine()
    rec = advise(facts, engine=engine)
    altered = {f for f, v in one_notch(rec.facts) if engine.run({**rec.facts, f: v}).outcome != rec.outcome}
    assert set(rec.hinges_on) == altered
    assert (rec.confidence == "clear") == (rec.margin >= CLEAR_MARGIN and not altered)
    caveat = rec.why_not_clear()
    assert (caveat is not None) == (rec.margin >= CLEAR_MARGIN and bool(altered))
    if caveat:
        assert rec.confidence == "leaning"
    assert rec.to_dict()["hinges_on"] == list(rec.hinges_on)


def test_a_wide_lead_that_hinges_on_a_fact_is_leaning_and_says_which() -> None:
    engine = get_engine()
    for facts in _complete_dyads():
        rec = advise(facts, engine=engine)
        if rec.margin >= CLEAR_MARGIN and rec.hinges_on:
            break
    else:
        pytest.fail("no dyad with a wide lead that hinges on a fact")
    fact = rec.hinges_on[0]
    moved = [v for f, v in one_notch(rec.facts) if f == fact]
    assert any(advise({**rec.facts, fact: v}, engine=engine).outcome != rec.outcome for v in moved)
    assert rec.confidence == "leaning"
    assert fact_label(fact) in (rec.why_not_clear() or "")


def test_a_contested_case_is_never_clear_when_its_readings_disagree() -> None:
    for facts in _complete_dyads():
        for fact, value in one_notch(facts):
            case = Case.model_validate(
                {"id": "c", "parties": ["A", "B"], "facts": {**facts, fact: [facts[fact], value]}}
            )
            rec = advise(case)
            if not rec.robust:
                assert rec.confidence != "clear" and fact not in rec.hinges_on
                return
    pytest.fail("no contested case whose readings disagree")


def _complete_dyads() -> list[dict[str, FactValue]]:
    """Complete dyads around the model dyad, in a fixed order: every single-fact change of it."""
    found = [dict(US_JAPAN)]
    for name, scale in scales().items():
        found += [{**US_JAPAN, name: v} for v in scale.values if v != US_JAPAN.get(name)]
    return found


@pytest.mark.slow
@SETTINGS
@given(dyads_some_absent())
def test_a_rule_base_with_a_positive_cycle_is_read_to_its_fixed_point_by_all_three(
    facts: dict[str, FactValue],
) -> None:
    # a side that hedges comes to prize autonomy, and one that prizes autonomy hedges (HED-03)
    engine = _cyclic_engine()
    kb = engine.kb
    compiled = masks_of(kb)
    reference = beliefs(kb, facts)
    assert list(compiled.beliefs(compiled.fired(facts)).items()) == list(reference.items())
    assert engine.run(facts).outcome == next(iter(reference)) == compiled.outcome(facts)


@cache
def _cyclic_engine() -> Engine:
    kb = load_knowledge_base()
    loop = dataclasses.replace(kb.rule("HED-01"), id="HED-99", facts=(), signals=("hedging_posture",))
    cyclic = dataclasses.replace(kb, rules=(*kb.rules, loop))
    assert not all(acyclic for _, acyclic in plan(cyclic))  # the slow path of Masks.settle
    return Engine(cyclic)


def test_the_signal_rules_read_a_group_at_a_time_settle_as_read_one_by_one() -> None:
    compiled = masks_of(load_knowledge_base())
    assert compiled.ordered is not None  # the rule base's order lets them be read at once
    one_by_one = dataclasses.replace(compiled, ordered=None, settled={})
    rng = random.Random(2026)
    for i in range(20_000):
        holds = rng.getrandbits(128) & (rng.getrandbits(128) if i % 2 else -1) & compiled.gated
        assert compiled.ordered.settle(holds) == one_by_one._settle(holds)
