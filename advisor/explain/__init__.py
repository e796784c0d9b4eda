"""Explanations that teach: how the advisor got there, why not another outcome, what if, how fragile.

Every answer comes from the real engine. One module per concept: ``subject`` (what an
explanation takes, and changes of facts), ``how``, ``why_not`` (with ``memo``, the engine
cached by facts), ``what_if``, ``sensitivity``, ``readings`` (what is said of a case with
contested facts: its answers, not the reading followed), and ``bundle`` (which of them
``advisor explain`` builds, and in what order).
"""

from advisor.explain.bundle import Explanation, explanation
from advisor.explain.how import ChainStep, How, Ledger, Reason, Weight, how, ledgers
from advisor.explain.memo import forget
from advisor.explain.readings import plausible_query, sensitivity_over_readings
from advisor.explain.sensitivity import Flip, Sensitivity, sensitivity
from advisor.explain.subject import (
    FactChange,
    Subject,
    apply,
    changed,
    engine_for,
    known_facts,
    outcome_summary,
    parse_setting,
    recommendation_of,
    rerun,
    resolve,
    steps,
)
from advisor.explain.what_if import WhatIf, what_if
from advisor.explain.why_not import Blocker, WhyNot, blockers, relevant_facts, unmet, why_not

__all__ = [
    "Blocker",
    "ChainStep",
    "Explanation",
    "FactChange",
    "Flip",
    "How",
    "Ledger",
    "Reason",
    "Sensitivity",
    "Subject",
    "Weight",
    "WhatIf",
    "WhyNot",
    "apply",
    "blockers",
    "changed",
    "engine_for",
    "explanation",
    "forget",
    "how",
    "known_facts",
    "ledgers",
    "outcome_summary",
    "parse_setting",
    "plausible_query",
    "recommendation_of",
    "relevant_facts",
    "rerun",
    "resolve",
    "sensitivity",
    "sensitivity_over_readings",
    "steps",
    "unmet",
    "what_if",
    "why_not",
]
