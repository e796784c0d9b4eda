"""The six outcomes the advisor can recommend, as fixed by the case format (docs/case-format.md)."""

from __future__ import annotations

from collections.abc import Iterable
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


def _rung(outcome: Outcome) -> int:
    return outcome.rung or 0


OUTCOME_IDS: tuple[str, ...] = get_args(OutcomeId)
TIERS: tuple[str, ...] = tuple(o.id for o in sorted(OUTCOMES.values(), key=_rung) if o.rung is not None)
"""The partnership ladder, lowest rung first: the outcomes with a rung."""
LADDER_ORDER: tuple[str, ...] = (*TIERS, *(o for o in OUTCOMES if o not in TIERS))
"""Every outcome in the order the advice lists them: the ladder, then the outcomes off it."""


def label(outcome_id: str) -> str:
    """Return the display name of an outcome id."""
    return OUTCOMES[outcome_id].label


def typed_outcome(text: str) -> str | None:
    """Return the outcome a command line names, by its id or its name in any case and with spaces
    trimmed (``Alliance``, ``COMPREHENSIVE``, ``strategic partnership``); None when none is named."""
    wanted = " ".join(text.split()).casefold()
    return next((o for o in OUTCOME_IDS if wanted in (o.casefold(), label(o).casefold())), None)


def neighbours(outcome: str, near: Iterable[str | None] = ()) -> tuple[str, ...]:
    """Return the outcomes next to ``outcome``, in ladder order: the rungs either side of it on the
    ladder, and the outcomes in ``near`` (those a single change of fact gives, the runner-up; None is
    skipped); never the outcome itself."""
    rung = OUTCOMES[outcome].rung
    close = set(near)
    if rung is not None:
        close.update(t for t in TIERS if OUTCOMES[t].rung in (rung - 1, rung + 1))
    return tuple(o for o in LADDER_ORDER if o in close and o != outcome)
