"""Compiling rules into experta: a sound firing order, and the same agenda order as experta's own."""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import pytest

from advisor.engine import Engine
from advisor.engine.compiler import compile_engine
from advisor.engine.strategy import DepthFirst, LeanRete
from advisor.engine.types import Dyad
from advisor.facts import scales
from advisor.rulebase import RuleBaseError, load_knowledge_base, strata


def test_a_rule_that_negates_a_signal_runs_after_every_rule_declaring_it() -> None:
    kb = load_knowledge_base()
    level = strata(kb)
    for rule in kb.rules:
        for signal in rule.without:
            assert all(level[d.id] < level[rule.id] for d in kb.declarers(signal)), rule.id
        for signal in rule.signals:
            assert all(level[d.id] <= level[rule.id] for d in kb.declarers(signal)), rule.id


def test_cautions_run_after_the_combination_and_the_combination_after_every_piece_of_evidence() -> None:
    kb = load_knowledge_base()
    level = strata(kb)
    combine = next(r for r in kb.rules if r.kind == "combine")
    assert all(level[r.id] < level[combine.id] for r in kb.rules if r.kind == "evidence")
    assert all(level[r.id] > level[combine.id] for r in kb.rules if r.kind == "caution")


def test_a_cycle_through_negation_is_refused() -> None:
    kb = load_knowledge_base()
    rules = list(kb.rules)
    # make a declarer of hedging_posture require that quasi_alliance is absent:
    # quasi_alliance is declared only when hedging_posture is present.
    i = next(i for i, r in enumerate(rules) if r.id == "HED-03")
    rules[i] = dataclasses.replace(rules[i], without=("quasi_alliance",))
    with pytest.raises(RuleBaseError, match="cycle"):
        strata(dataclasses.replace(kb, rules=tuple(rules)))


def test_the_engine_is_a_real_experta_engine_with_one_rule_per_knowledge_base_rule() -> None:
    from experta import KnowledgeEngine

    kb = load_knowledge_base()
    engine_class = compile_engine(kb)
    assert issubclass(engine_class, KnowledgeEngine)
    names = {r.__name__ for r in engine_class().get_rules()}
    assert {r.id for r in kb.rules if r.kind != "combine"} <= names
    assert {"POL-01:absorb", "POL-01:rank"} <= names


@pytest.mark.slow
def test_our_strategy_and_matcher_fire_what_stock_experta_fires() -> None:
    from experta.matchers.rete import ReteMatcher
    from experta.strategies import DepthStrategy

    kb = load_knowledge_base()
    ours = Engine(kb)
    theirs = Engine(kb)
    stock = type(
        "Stock", (type(theirs._experta),), {"__matcher__": ReteMatcher, "__strategy__": DepthStrategy}
    )
    theirs._experta = stock()
    assert isinstance(ours._experta.strategy, DepthFirst) and isinstance(ours._experta.matcher, LeanRete)
    assert type(theirs._experta.matcher) is ReteMatcher
    rng = random.Random(11)
    misfired = 0
    for _ in range(150):
        facts = {name: rng.choice(s.values) for name, s in scales().items()}
        mine, reference = ours.run(facts), theirs.run(facts)
        # A rule that needs a signal absent must not fire in a run that declares it (the strata put
        # every declarer first). Ours never does; stock experta's Rete sometimes lets a negated signal
        # through (GRX-01 beside FRM-01's standing_forum): such a run is no reference, and is counted.
        assert not _fired_despite_a_negated_signal(kb, mine)
        if _fired_despite_a_negated_signal(kb, reference):
            misfired += 1
            continue
        assert mine.outcome == reference.outcome
        assert mine.deciding_rule == reference.deciding_rule
        assert mine.beliefs == pytest.approx(reference.beliefs)
        assert sorted(f.rule for f in mine.firings) == sorted(f.rule for f in reference.firings)
        assert set(mine.cautions) == set(reference.cautions)
    assert misfired <= 15, f"{misfired} of 150 runs: too few left to compare"


def _fired_despite_a_negated_signal(kb: Any, run: Any) -> list[str]:
    """Return the rules of a run that fired although a signal they need absent was declared in it."""
    declared = {kb.by_id[f.rule].declares for f in run.firings if kb.by_id[f.rule].kind == "signal"}
    return [f.rule for f in run.firings if set(kb.by_id[f.rule].without) & declared]


def test_a_reset_after_a_run_leaves_what_a_full_reset_leaves() -> None:
    engine = compile_engine(load_knowledge_base())()

    def state() -> tuple[object, ...]:
        memories = {
            id(n): repr(
                (
                    getattr(n, "memory", None),
                    getattr(n, "left_memory", None),
                    getattr(n, "right_memory", None),
                )
            )
            for n in engine.matcher._nodes()
        }
        agenda = [(a.rule.__name__, a.key, repr(a.facts), repr(a.context)) for a in engine.agenda.activations]
        facts = engine.facts
        return repr(list(facts.items())), facts.last_index, dict(facts.reference_counter), agenda, memories

    engine.reset()  # the first reset is a full one; it keeps what it leaves
    for seed in range(3):
        rng = random.Random(seed)
        engine.declare(Dyad(**{name: rng.choice(s.values) for name, s in scales().items()}))
        engine.run()
        engine.reset()  # restores what the first reset left
        restored = state()
        del engine._start
        engine.reset()  # a full reset again
        assert state() == restored
        assert engine.firings == []
