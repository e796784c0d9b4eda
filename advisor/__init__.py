"""Alignment Advisor: an expert system that recommends what kind of tie two states should build.

The library in one call::

    from advisor import advise
    rec = advise({"threat_level": "high", "shared_adversary": "full", ...})
    rec.outcome, rec.deciding_rule, rec.trace

Submodules are imported on first use, so that the command line starts fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "advise": "advisor.engine",
    "Recommendation": "advisor.engine",
    "Case": "advisor.cases",
    "load_file": "advisor.cases",
    "Facts": "advisor.facts",
    "load_knowledge_base": "advisor.rulebase",
    "KnowledgeBase": "advisor.rulebase",
    "Engine": "advisor.engine",
    "get_engine": "advisor.engine",
}

if TYPE_CHECKING:
    from advisor.cases import Case, load_file
    from advisor.engine import Engine, Recommendation, advise, get_engine
    from advisor.facts import Facts
    from advisor.rulebase import KnowledgeBase, load_knowledge_base


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'advisor' has no attribute {name!r}")


__all__ = [
    "Case",
    "Engine",
    "Facts",
    "KnowledgeBase",
    "Recommendation",
    "__version__",
    "advise",
    "get_engine",
    "load_file",
    "load_knowledge_base",
]
