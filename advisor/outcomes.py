"""The six outcomes the advisor can recommend, as fixed by FACTS.md."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

OutcomeId = Literal["alliance", "partnership", "strategic", "comprehensive", "coordination", "coalition"]


@dataclass(frozen=True)
class Outcome:
    """One recommendable outcome: its id, display label and one-line meaning."""

    id: str
    label: str
    summary: str
    rung: int | None  # position on the partnership ladder; None off the ladder


OUTCOMES: dict[str, Outcome] = {
    o.id: o
    for o in (
        Outcome(
            "partnership",
            "Partnership",
            "limited, sectoral cooperation; technical agreements",
            1,
        ),
        Outcome(
            "strategic",
            "Strategic Partnership",
            "multi-sector, high-level coordination, no defense obligation",
            2,
        ),
        Outcome(
            "comprehensive",
            "Comprehensive Strategic Partnership",
            "deep, institutionalised economic and security integration",
            3,
        ),
        Outcome(
            "coordination",
            "Comprehensive Strategic Partnership of Coordination",
            "the top partnership tier: alignment on global governance, still no mutual-defense clause",
            4,
        ),
        Outcome(
            "alliance",
            "Alliance",
            "treaty-bound mutual defense; credible commitment against a named threat",
            None,
        ),
        Outcome(
            "coalition",
            "Multi-partner coalition",
            "issue-specific, action-focused grouping of several states and often non-state actors",
            None,
        ),
    )
}

OUTCOME_IDS: tuple[str, ...] = get_args(OutcomeId)
TIERS: tuple[str, ...] = ("partnership", "strategic", "comprehensive", "coordination")


def label(outcome_id: str) -> str:
    """Return the display name of an outcome id."""
    return OUTCOMES[outcome_id].label
