"""The engine, cached: outcomes by facts, per engine, for the searches of why-not and sensitivity."""

from __future__ import annotations

import weakref
from collections.abc import Mapping

from advisor.engine import Engine
from advisor.facts import FactValue


class Memo:
    """What is worth keeping per engine: outcomes by facts."""

    LIMIT = 20_000  # entries; a run is a few kilobytes, an outcome a few bytes

    def __init__(self, engine: Engine):
        self.engine = engine
        self.outcomes: dict[frozenset[tuple[str, FactValue]], tuple[str, str]] = {}
        self.runs = 0

    def outcome(self, facts: Mapping[str, FactValue]) -> tuple[str, str]:
        """Return (outcome, deciding rule) of a run on these facts, from the cache or the engine."""
        key = frozenset(facts.items())
        found = self.outcomes.get(key)
        if found is None:
            if len(self.outcomes) >= self.LIMIT:
                self.outcomes.clear()
            run = self.engine.run(facts)
            self.runs += 1
            found = self.outcomes[key] = (run.outcome, run.deciding_rule)
        return found


_MEMOS: weakref.WeakKeyDictionary[Engine, Memo] = weakref.WeakKeyDictionary()


def forget(engine: Engine) -> None:
    """Drop the outcomes cached for an engine (benchmarks use it to time cold searches)."""
    _MEMOS.pop(engine, None)


def memo_for(engine: Engine) -> Memo:
    """Return the memo of an engine, creating it on first use."""
    memo = _MEMOS.get(engine)
    if memo is None:
        memo = _MEMOS[engine] = Memo(engine)
    return memo
