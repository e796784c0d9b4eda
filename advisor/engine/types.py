"""The experta facts the compiled engine matches and declares.

The known input facts are one ``Dyad``; rules declare ``Signal``, ``Evidence``,
``Belief``, ``Outranked``, ``Tallied``, ``Chosen`` and ``Caution`` facts that
other rules match.
"""

from __future__ import annotations

from typing import Any, TypeVar

from advisor._experta import Fact

F = TypeVar("F", bound=Fact)

OPENING = "(opening)"  # the rule name of the zero evidence every outcome's ledger opens with


class Dyad(Fact):  # type: ignore[misc]
    """The input facts about the dyad, one field per known fact (unknown facts are absent)."""


class Signal(Fact):  # type: ignore[misc]
    """An intermediate conclusion: ``Signal(name=...)``."""


class Evidence(Fact):  # type: ignore[misc]
    """One rule's evidence on an outcome: ``Evidence(outcome=..., rule=..., cf=...)``, cf in (-1, 1)."""


class Belief(Fact):  # type: ignore[misc]
    """The combined evidence on an outcome so far: ``Belief(outcome=..., cf=...)``."""


class Outranked(Fact):  # type: ignore[misc]
    """An outcome with less support than another: ``Outranked(outcome=..., by=...)``."""


class Tallied(Fact):  # type: ignore[misc]
    """Every piece of evidence has been absorbed: the ledger is closed and the outcomes can be ranked."""


class Chosen(Fact):  # type: ignore[misc]
    """The settled outcome: ``Chosen(outcome=..., cf=...)`` (the typed result is ``Recommendation``)."""


class Caution(Fact):  # type: ignore[misc]
    """A warning that accompanies the recommendation: ``Caution(rule=...)``."""


def fresh(kind: type[F], fields: dict[str, Any]) -> F:
    """Return ``kind(**fields)``, built directly: for values experta need not freeze (str, bool, float).

    experta's constructor sets the fields one at a time, each through ``freeze``,
    which returns such a value unchanged; the result is the same fact.
    """
    fact = dict.__new__(kind)
    dict.update(fact, fields)
    fact._Fact__defaults = {}  # what Fact.__init__ leaves behind
    return fact
