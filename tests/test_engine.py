"""The engine: built once and reused, deterministic across runs and processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.engine import Engine, get_engine
from advisor.rulebase import load_knowledge_base

from running import US_JAPAN

ROOT = Path(__file__).resolve().parent.parent
# An existential threat, fully shared, weighed against a high entrapment risk.
DYAD = {
    **US_JAPAN,
    "threat_level": "existential",
    "existing_ties": "partnership",
    "economic_interdependence": "low",
    "value_alignment": "medium",
    "entrapment_risk": "high",
}


def test_get_engine_is_built_once_per_rules_directory() -> None:
    from advisor.rulebase import default_directory

    assert get_engine() is get_engine()
    assert get_engine() is get_engine(default_directory()) is get_engine(ROOT / "rules" / ".." / "rules")


def test_reusing_an_engine_gives_the_same_run_as_a_fresh_one() -> None:
    engine = get_engine()
    first = engine.run(DYAD)
    engine.run({"issue_scope": "transnational", "nonstate_actors_essential": True})
    assert engine.run(DYAD) == first == Engine(load_knowledge_base()).run(DYAD)


def test_an_existential_shared_threat_chains_through_signals_to_an_alliance() -> None:
    run = get_engine().run(DYAD)
    assert run.outcome == "alliance"
    assert run.deciding_rule == "ALL-01"
    assert {"balancing_need", "credible_commitment_needed", "existential_threat"} <= set(run.signals)
    steps = {f.rule: f.step for f in run.firings}
    assert steps["THR-01"] < steps["THR-02"] < steps["ALL-01"] < steps["POL-01"]
    # the high entrapment risk and the costly ratification were weighed, and outweighed
    against = {e.rule for e in run.evidence if e.outcome == "alliance" and e.cf < 0}
    assert {"ALX-01", "ALX-05"} <= against


def test_the_combination_rule_absorbs_every_piece_of_evidence_with_emycins_function() -> None:
    from advisor.engine import combine_all

    run = get_engine().run(DYAD)
    for outcome, belief in run.beliefs.items():
        factors = [e.cf for e in run.evidence if e.outcome == outcome]
        assert abs(belief - combine_all(factors)) < 1e-9, outcome
    assert next(iter(run.beliefs)) == run.outcome


def test_unknown_facts_are_simply_not_declared() -> None:
    run = get_engine().run({"threat_level": "existential"})
    assert run.facts == {"threat_level": "existential"}
    assert "balancing_need" not in run.signals
    assert run.outcome == "partnership"


@pytest.mark.slow
def test_the_trace_is_identical_across_processes() -> None:
    script = (
        "import json, sys; from advisor.engine import advise; "
        "print(json.dumps(advise(json.loads(sys.argv[1])).to_dict()))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, json.dumps(DYAD)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": str(seed), "PATH": ""},
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(outputs) == 1
    assert json.loads(outputs.pop())["recommendation"] == "alliance"
