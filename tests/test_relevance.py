"""The relevance analysis is sound against the real engine, and it does skip questions on real paths."""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.engine import Engine, Relevance, Run, Tri, analyse, get_engine
from advisor.engine.relevance import READINGS_LIMIT
from advisor.facts import ASKED_FACTS, FACT_NAMES, FactValue, scales
from advisor.rulebase import KnowledgeBase

from running import examples

MISSING: Any = object()  # a fact left out of the engine's input: how it reasons without it
EXAMPLES = int(os.environ.get("ADVISOR_RELEVANCE_EXAMPLES", "150"))  # raise it for a thorough run
PROPERTY = settings(
    max_examples=examples(EXAMPLES), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.fixture(scope="module")
def engine() -> Engine:
    """The process-wide engine for the bundled knowledge base."""
    return get_engine()


@pytest.fixture(scope="module")
def kb(engine: Engine) -> KnowledgeBase:
    """The bundled knowledge base."""
    return engine.kb


def partial_facts() -> st.SearchStrategy[dict[str, FactValue]]:
    """Draw any subset of the facts with any values."""
    per_fact = [st.one_of(st.just(MISSING), st.sampled_from(scales()[n].values)) for n in FACT_NAMES]
    return st.tuples(*per_fact).map(
        lambda vs: {n: v for n, v in zip(FACT_NAMES, vs, strict=True) if v is not MISSING}
    )


def complete(
    known: dict[str, FactValue], data: st.DataObject, *, allow_missing: bool = True
) -> dict[str, Any]:
    """Draw a completion of the unanswered facts: each a value, or (if allowed) left missing."""
    result: dict[str, Any] = dict(known)
    for name in FACT_NAMES:
        if name not in known:
            options = list(scales()[name].values) + ([MISSING] if allow_missing else [])
            result[name] = data.draw(st.sampled_from(options), label=name)
    return result


def run(engine: Engine, facts: dict[str, Any]) -> Run:
    """Run the engine on the facts that are not missing."""
    return engine.run({k: v for k, v in facts.items() if v is not MISSING})


def analysed_and_run(
    engine: Engine, known: dict[str, FactValue], data: st.DataObject
) -> tuple[Relevance, Run]:
    """Return the analysis of what is known, and the run of a completion drawn for it."""
    return analyse(known, engine.kb), run(engine, complete(known, data))


def over_partial_facts(test: Callable[..., None]) -> Callable[..., None]:
    """Make a test a property over any partial facts ``known`` and a ``data`` object to draw more."""
    return PROPERTY(given(known=partial_facts(), data=st.data())(test))


# --- soundness, property-tested against the engine ------------------------------------------


@over_partial_facts
def test_every_certain_rule_fires_and_every_impossible_one_does_not(
    engine: Engine, known: dict[str, FactValue], data: st.DataObject
) -> None:
    rel, result = analysed_and_run(engine, known, data)
    fired = {f.rule for f in result.firings}
    for rule in engine.kb.rules:
        if rule.kind == "combine":
            continue
        if rel.rules[rule.id] == Tri.YES:
            assert rule.id in fired, rule.id
        if rel.rules[rule.id] == Tri.NO:
            assert rule.id not in fired, rule.id
    for signal, status in rel.signals.items():
        if status != Tri.MAYBE:
            assert (signal in result.signals) == (status == Tri.YES), signal


@over_partial_facts
def test_a_settled_outcome_is_the_outcome_of_every_completion(
    engine: Engine, known: dict[str, FactValue], data: st.DataObject
) -> None:
    rel, result = analysed_and_run(engine, known, data)
    assert result.outcome in rel.outcomes
    if rel.settled is not None:
        assert result.outcome == rel.settled


def outcome(result: Run) -> str:
    return result.outcome


def outcome_and_cautions(result: Run) -> tuple[str, frozenset[str]]:
    """Return what a consultation shows the user: the outcome and the set of cautions."""
    return result.outcome, frozenset(result.cautions)


@pytest.mark.parametrize(
    ("statuses", "show"),
    [(("caution", "idle"), outcome), (("idle",), outcome_and_cautions)],
    ids=["a fact said not to matter never changes the outcome", "an idle fact changes no caution either"],
)
@over_partial_facts
def test_changing_a_fact_said_not_to_matter_changes_nothing_shown(
    engine: Engine,
    statuses: tuple[str, ...],
    show: Callable[[Run], Any],
    known: dict[str, FactValue],
    data: st.DataObject,
) -> None:
    rel = analyse(known, engine.kb)
    candidates = [n for n in FACT_NAMES if rel.status(n) in statuses]
    if not candidates:
        return
    fact = data.draw(st.sampled_from(candidates), label=f"{'/'.join(statuses)} fact")
    base = complete(known, data)
    seen = {show(run(engine, {**base, fact: v})) for v in [*scales()[fact].values, MISSING]}
    assert len(seen) == 1, (fact, seen)


@over_partial_facts
def test_answering_more_never_makes_a_skipped_fact_matter_again(
    engine: Engine, known: dict[str, FactValue], data: st.DataObject
) -> None:
    rel = analyse(known, engine.kb)
    more = complete(known, data)
    extra = {k: v for k, v in more.items() if v is not MISSING}
    later = analyse(extra, engine.kb)
    assert set(later.decisive) <= set(rel.decisive)


# --- it does skip, on realistic paths ---------------------------------------------------------


def test_with_nothing_known_every_fact_can_matter(kb: KnowledgeBase) -> None:
    rel = analyse({}, kb)
    assert rel.settled is None
    # the optional facts too, but standing_commitment only for a grouping (a dyad by default)
    assert set(rel.decisive) == set(FACT_NAMES)
    assert rel.status("standing_commitment") == "idle"
    assert "standing_commitment" in analyse({"grouping": True}, kb).decisive
    assert rel.status("grouping") == "known"  # derived: a dyad unless the parties say otherwise


def test_a_group_on_a_transnational_problem_needing_nonstate_actors_settles_a_coalition(
    kb: KnowledgeBase,
) -> None:
    known: dict[str, FactValue] = {
        "grouping": True,
        "issue_scope": "transnational",
        "nonstate_actors_essential": True,
        "threat_level": "low",
    }
    # whether its members meet as a standing forum on their relations as a whole can still matter
    assert analyse(known, kb).settled is None
    assert "standing_forum" in analyse(known, kb).decisive
    rel = analyse({**known, "standing_forum": False}, kb)
    assert rel.settled == "coalition" == rel.leader
    assert not rel.decisive
    for fact in ("shared_adversary", "ratification_cost", "entrapment_risk", "existing_ties"):
        assert rel.status(fact) in ("caution", "idle")
        assert rel.reason(fact, kb).startswith("no rule that could still change the outcome tests it")


def test_the_bounds_of_every_outcome_hold_the_belief_of_every_completion(engine: Engine) -> None:
    known: dict[str, FactValue] = {
        "issue_scope": "security",
        "threat_level": "high",
        "shared_adversary": "full",
    }
    rel = analyse(known, engine.kb)
    for entrapment in scales()["entrapment_risk"].values:
        for autonomy in (False, True):
            result = engine.run({**known, "entrapment_risk": entrapment, "autonomy_tradition": autonomy})
            for outcome, belief in result.beliefs.items():
                low, high = rel.span[outcome]
                assert low - 1e-9 <= belief <= high + 1e-9, outcome
    assert rel.status("entrapment_risk") == "decisive"


def test_a_fact_that_only_moves_a_losing_outcome_stops_mattering(kb: KnowledgeBase) -> None:
    # a dyad on a transnational problem with non-state actors: nothing about a defense
    # treaty can lift an alliance to the top any more
    known: dict[str, FactValue] = {
        "issue_scope": "transnational",
        "nonstate_actors_essential": True,
        "threat_level": "none",
        "shared_adversary": "none",
    }
    rel = analyse(known, kb)
    assert "alliance" not in rel.outcomes
    assert rel.status("ratification_cost") in ("caution", "idle")
    assert rel.status("entrapment_risk") in ("caution", "idle")


def test_a_complete_case_settles_on_the_engines_outcome(engine: Engine) -> None:
    facts = {name: scales()[name].values[-1] for name in FACT_NAMES}
    rel = analyse(facts, engine.kb)
    assert rel.settled == engine.run(facts).outcome
    assert not rel.decisive and not rel.cautionary


def test_a_decisive_fact_names_the_evidence_it_bears_on(kb: KnowledgeBase) -> None:
    rel = analyse({"issue_scope": "transnational"}, kb)
    assert "COA-01" in rel.decisive["nonstate_actors_essential"]
    assert "COA-01" in rel.reason("nonstate_actors_essential", kb)


def test_answered_facts_are_known_and_unknown_values_are_rejected(kb: KnowledgeBase) -> None:
    rel = analyse({"threat_level": "high"}, kb)
    assert rel.status("threat_level") == "known"
    with pytest.raises(ValueError, match="threat_level"):
        analyse({"threat_level": "severe"}, kb)
    with pytest.raises(ValueError, match="threat_level"):
        analyse({}, kb, {"threat_level": ("high", "severe")})
    with pytest.raises(ValueError, match="threat_level: no plausible value given"):
        analyse({}, kb, {"threat_level": ()})


def test_relevance_is_a_frozen_value(kb: KnowledgeBase) -> None:
    rel: Relevance = analyse({}, kb)
    with pytest.raises(AttributeError):
        rel.leader = rel.leader  # type: ignore[misc]


# --- a contested answer: exactly its plausible values, never all of the scale ----------------------


def contested_facts(data: st.DataObject) -> tuple[dict[str, FactValue], dict[str, tuple[FactValue, ...]]]:
    """Draw partial facts and one or two other facts answered with two or more plausible values each."""
    known = data.draw(partial_facts(), label="known")
    free = [n for n in FACT_NAMES if n not in known]
    if not free:
        known.pop(data.draw(st.sampled_from(FACT_NAMES), label="unanswered"))
        free = [n for n in FACT_NAMES if n not in known]
    names = data.draw(st.lists(st.sampled_from(free), min_size=1, max_size=2, unique=True), label="contested")
    contested = {
        n: tuple(data.draw(st.lists(st.sampled_from(scales()[n].values), min_size=2, unique=True), label=n))
        for n in names
    }
    return known, contested


def readings_of(contested: dict[str, tuple[FactValue, ...]]) -> list[dict[str, FactValue]]:
    """Return every reading of the contested facts: one value for each."""
    names = list(contested)
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*contested.values())]


@PROPERTY
@given(data=st.data())
def test_with_a_contested_answer_every_decided_rule_and_the_settled_outcome_hold_in_every_reading(
    engine: Engine, data: st.DataObject
) -> None:
    known, contested = contested_facts(data)
    rel = analyse(known, engine.kb, contested)
    assert all(rel.status(n) == "known" for n in contested)
    base = complete({**known, **dict.fromkeys(contested)}, data)  # the contested facts filled below
    for reading in readings_of(contested):
        result = run(engine, {**base, **reading})
        fired = {f.rule for f in result.firings}
        for rule in engine.kb.rules:
            if rule.kind != "combine" and rel.rules[rule.id] != Tri.MAYBE:
                assert (rule.id in fired) == (rel.rules[rule.id] == Tri.YES), (rule.id, reading)
        assert result.outcome in rel.outcomes
        if rel.settled is not None:
            assert result.outcome == rel.settled, reading


@PROPERTY
@given(data=st.data())
def test_a_question_skipped_for_a_contested_answer_changes_no_reading_of_it(
    engine: Engine, data: st.DataObject
) -> None:
    # hence neither the shares of the readings nor the recommendation they give
    known, contested = contested_facts(data)
    rel = analyse(known, engine.kb, contested)
    skipped = [n for n in FACT_NAMES if rel.status(n) in ("caution", "idle")]
    if not skipped:
        return
    fact = data.draw(st.sampled_from(skipped), label="skipped fact")
    base = complete({**known, **dict.fromkeys(contested)}, data)
    for reading in readings_of(contested):
        seen = {run(engine, {**base, **reading, fact: v}).outcome for v in [*scales()[fact].values, MISSING]}
        assert len(seen) == 1, (fact, reading, seen)


@PROPERTY
@given(data=st.data())
def test_a_contested_answer_leaves_no_more_to_ask_than_unknown_and_no_less_than_any_of_its_values(
    kb: KnowledgeBase, data: st.DataObject
) -> None:
    known, contested = contested_facts(data)
    asked = set(analyse(known, kb, contested).decisive)
    assert asked <= set(analyse(known, kb).decisive)  # unknown: the whole scale, or missing
    for reading in readings_of(contested):
        assert set(analyse({**known, **reading}, kb).decisive) <= asked, reading


def test_beyond_the_readings_limit_the_contested_facts_that_do_not_fit_count_as_unanswered(
    kb: KnowledgeBase,
) -> None:
    several = {n: scales()[n].values[:2] for n in FACT_NAMES[: READINGS_LIMIT.bit_length()]}
    assert math.prod(len(v) for v in several.values()) > READINGS_LIMIT
    rel = analyse({}, kb, several)
    assert all(rel.status(n) == "known" for n in several)  # answered, so never asked
    assert set(rel.decisive) <= set(ASKED_FACTS) - set(several)
