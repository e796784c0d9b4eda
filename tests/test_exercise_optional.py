"""Grading the optional fact where the reference gives it: given, unknown, or left out of a submission.

A group submission that leaves ``standing_commitment`` out still loads and is read at its
default for the student's own recommendation, but earns nothing for the fact (it is scored like
``unknown``); the feedback, its JSON and the class spread say "not given".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.exercise.feedback import feedback
from advisor.exercise.pack import load_pack
from advisor.exercise.submission import Submission
from advisor.facts import OPTIONAL_DEFAULTS, OPTIONAL_FACTS


def left_out(scenario_id: str, **facts: Any) -> tuple[Any, Any]:
    """Return the feedback on the reference coding without standing_commitment, and with it as given."""
    pack = load_pack()
    scenario = pack.scenario(scenario_id)
    plain = {k: v for k, v in scenario.reference.items() if k != "standing_commitment"}
    why = "The members bind themselves, or not, and the threat is what it is."
    without = Submission(scenario.id, "P", plain, scenario.actual or "alliance", why)
    with_it = Submission(scenario.id, "P", {**plain, **facts}, scenario.actual or "alliance", why)
    return feedback(without, pack), feedback(with_it, pack)


@pytest.mark.parametrize("scenario_id", ["aukus-2021", "nato-1949"])
def test_a_group_submission_that_leaves_the_graded_optional_fact_out_earns_nothing_for_it(
    scenario_id: str,
) -> None:
    """Read at its default for the student's own recommendation, but scored like unknown: a default the
    student did not write is not an answer (where the default is the reference's, as for AUKUS, too)."""
    reference = load_pack().scenario(scenario_id).reference["standing_commitment"]
    without, as_reference = left_out(scenario_id, standing_commitment=reference)
    _, as_unknown = left_out(scenario_id, standing_commitment=None)
    _, as_default = left_out(scenario_id, standing_commitment=OPTIONAL_DEFAULTS["standing_commitment"])
    [item] = [f for f in without.facts if f.fact == "standing_commitment"]
    assert not item.given and not item.agrees
    assert item.yours is OPTIONAL_DEFAULTS["standing_commitment"]
    assert item.shown.endswith("(default: not given)")
    assert as_reference.score == 100 and without.score == as_unknown.score < 100
    assert without.your_recommendation == as_default.your_recommendation  # read at its default
    [data] = [f for f in without.to_dict()["facts"] if f["fact"] == "standing_commitment"]
    assert data["given"] is False and data["scored"] is False and data["agrees"] is False
    assert all("given" not in f for f in as_reference.to_dict()["facts"])
    assert any("Not given in your submission: standing commitment" in n for n in without.notes)


def test_the_class_spread_shows_a_left_out_optional_fact_as_not_given(tmp_path: Path) -> None:
    from advisor.exercise.grade import grade

    pack = load_pack()
    scenario = pack.scenario("nato-1949")
    plain = {k: v for k, v in scenario.reference.items() if k not in OPTIONAL_FACTS}
    for name, facts in (("a", plain), ("b", {**plain, "standing_commitment": True}), ("c", plain)):
        data = {"scenario": scenario.id, "student": name, "facts": facts, "prediction": "alliance"}
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(data))
    grades = grade([tmp_path], pack)
    [spread] = [s for s in grades.spread() if s.fact == "standing_commitment"]
    assert spread.counts == {"true": 1, "false (default: not given)": 2} and spread.agree == 1
