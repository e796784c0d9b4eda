"""Optional facts: when one applies to a case, and which were given rather than left at their default.

The names (``OPTIONAL_FACTS``, ``OPTIONAL_DEFAULTS``) are in ``advisor.facts``; an optional
fact left out of a case holds its default, and the rules read it exactly as if written so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from advisor.facts import DEFAULTS, OPTIONAL_FACTS, Facts, FactValue, show

GROUPING_ONLY: frozenset[str] = frozenset(
    name
    for name, field in Facts.model_fields.items()
    if dict(field.json_schema_extra or {}).get("groups_only")  # type: ignore[arg-type]
)
"""Facts that matter only for a grouping (three or more parties), as the Facts model declares them."""


def grouped(facts: Mapping[str, Any]) -> bool:
    """Say whether facts are a grouping's (three or more parties), ``grouping`` at its default if absent."""
    return facts.get("grouping", DEFAULTS["grouping"]) is True


def applies(name: str, facts: Mapping[str, Any]) -> bool:
    """Say whether a fact can matter for these facts: a grouping-only fact does not for a pair."""
    return name not in GROUPING_ONLY or grouped(facts)


def applies_in_a_reading(
    name: str, facts: Mapping[str, Any], contested: Mapping[str, tuple[FactValue, ...]]
) -> bool:
    """Say whether a fact can matter in some reading of a case: as ``applies``, where a grouping-only
    fact matters when ``grouping`` itself is read as true in some reading (contested or unknown)."""
    return applies(name, {"grouping": True} if True in contested.get("grouping", ()) else facts)


def not_given(facts: Facts) -> tuple[str, ...]:
    """Return the optional facts a set of facts left out (their default holds)."""
    return tuple(name for name in OPTIONAL_FACTS if name not in facts.model_fields_set)


def given_facts(facts: Facts) -> dict[str, FactValue]:
    """Return the facts as given: every one but the optional facts left out (at their default)."""
    left_out = not_given(facts)
    return {k: v for k, v in facts.model_dump().items() if k not in left_out}


def show_defaulted(name: str) -> str:
    """Render an optional fact not given, at its default: ``false (default: not given)``."""
    return f"{show(name, DEFAULTS[name])} (default: not given)"
