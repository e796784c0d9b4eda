"""The one place experta is imported, made importable on every supported Python.

experta 1.9.4 pins ``frozendict==1.2``, whose module body subclasses
``collections.Mapping`` -- an alias Python 3.10 removed. Installed with uv, the
project overrides the pin (``[tool.uv] override-dependencies``) and a modern
frozendict is used. Installed with plain pip, which cannot override a pin, the
old frozendict is present; restoring the removed aliases before it is imported
is enough for it to work (the aliases name the very same ABCs, so nothing else
changes meaning). Every module of the advisor imports experta from here.
"""

from __future__ import annotations

import collections
import collections.abc

_REMOVED_ALIASES = ("Mapping", "MutableMapping", "Sequence", "Hashable", "Iterable", "Callable")


def _restore_collections_aliases() -> None:
    """Give ``collections`` back the ABC aliases frozendict 1.2 expects, if missing."""
    for name in _REMOVED_ALIASES:
        if not hasattr(collections, name):
            setattr(collections, name, getattr(collections.abc, name))


try:
    import frozendict as _frozendict  # noqa: F401
except AttributeError:  # frozendict 1.2 on Python >= 3.10
    _restore_collections_aliases()

from experta import (  # noqa: E402
    AS,
    MATCH,
    NOT,
    TEST,
    Fact,
    KnowledgeEngine,
    L,
    Rule,
    watchers,
)
from experta.abstract import Strategy  # noqa: E402
from experta.activation import Activation  # noqa: E402
from experta.agenda import Agenda  # noqa: E402
from experta.factlist import FactList  # noqa: E402
from experta.matchers.rete import ReteMatcher  # noqa: E402
from experta.matchers.rete.check import FactCapture, FeatureCheck, TypeCheck  # noqa: E402
from experta.matchers.rete.mixins import ChildNode, NoMemory  # noqa: E402
from experta.matchers.rete.nodes import ConflictSetNode, FeatureTesterNode, NotNode, OrdinaryMatchNode  # noqa: E402
from experta.matchers.rete.token import Token, TokenInfo  # noqa: E402

__all__ = [
    "AS",
    "MATCH",
    "NOT",
    "TEST",
    "Activation",
    "Agenda",
    "ChildNode",
    "ConflictSetNode",
    "Fact",
    "FactCapture",
    "FactList",
    "FeatureCheck",
    "FeatureTesterNode",
    "KnowledgeEngine",
    "L",
    "NoMemory",
    "NotNode",
    "OrdinaryMatchNode",
    "ReteMatcher",
    "Rule",
    "Strategy",
    "Token",
    "TokenInfo",
    "TypeCheck",
    "watchers",
]
