"""Why-not's candidates found in bulk on the bit masks are exactly those the three-valued pruning keeps.

``explain.nearest`` stands in for ``relevance.may_recommend`` on a final set of facts, candidate
for candidate: held here to it over random dyads and groups, some facts left out, in the search's
own order (``why_not.candidates``). ``Masks.unbeaten`` is held to ``may_recommend`` itself.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.engine.masks import masks_of
from advisor.engine.relevance import may_recommend
from advisor.explain.nearest import Nearest
from advisor.explain.why_not import candidates, changes_of
from advisor.facts import FactValue
from advisor.outcomes import OUTCOME_IDS
from advisor.rulebase import load_knowledge_base

from running import dyads_some_absent, examples

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings(SETTINGS, max_examples=examples(300))
@given(dyads_some_absent(), st.sampled_from(OUTCOME_IDS))
def test_unbeaten_is_may_recommend_on_a_final_set_of_facts(facts: dict[str, FactValue], target: str) -> None:
    kb = load_knowledge_base()
    compiled = masks_of(kb)
    assert compiled.unbeaten(compiled.fired(facts), target) == may_recommend(kb, facts, target)


@settings(SETTINGS, max_examples=examples(40))
@given(dyads_some_absent(), st.sampled_from(OUTCOME_IDS), st.sampled_from([1, 2]))
def test_nearest_keeps_exactly_the_candidates_may_recommend_keeps_in_their_order(
    facts: dict[str, FactValue], target: str, count: int
) -> None:
    kb = load_knowledge_base()
    options = changes_of(kb, facts, target)
    expected = [
        picks for picks in candidates(options, count) if may_recommend(kb, {**facts, **dict(picks)}, target)
    ]
    found = [
        tuple((options[i][0], options[i][1][j][0]) for i, j in zip(chosen, indices, strict=True))
        for _, chosen, indices in Nearest(kb, facts, options, target).possible(count)
    ]
    assert found == expected
