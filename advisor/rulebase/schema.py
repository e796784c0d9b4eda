"""The shape of a rule file as written: strict pydantic models, checked before any rule is built.

A rule file is validated in parts (its sources, its signals, then each rule on its
own), so that one bad rule is reported by its id and the rest of the file still loads.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict

MAX_CF = 0.95  # a single rule is never certain: EMYCIN's combination needs |cf| < 1
ID_PATTERN = re.compile(r"^[A-Z]{2,4}-\d{2}$")
SIGNAL_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


def _rule_id(value: str) -> str:
    """Return a rule id if it has the shape of one (THR-01); raise ValueError otherwise."""
    if not ID_PATTERN.match(value):
        raise ValueError("a rule id is two to four capitals, a hyphen and two digits (THR-01)")
    return value


RuleId = Annotated[str, AfterValidator(_rule_id)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _RawSource(_Strict):
    seed: str | None = None
    cite: str | None = None
    passage: str


class _RawWhen(_Strict):
    facts: dict[str, Any] = {}
    signals: list[str] = []
    without: list[str] = []
    recommended: list[str] = []


class _RawThen(_Strict):
    signal: str | None = None
    evidence: str | list[str] | None = None
    cf: float | None = None
    caution: str | None = None
    combine: Literal["certainty_factors"] | None = None
    propose: Any = None  # retired in 0.2: reported with a pointer to evidence/cf
    priority: Any = None
    resolve: Any = None


class _RawRule(_Strict):
    id: RuleId
    title: str
    when: _RawWhen = _RawWhen()
    then: _RawThen
    rationale: str
    source: _RawSource


class _RawSeed(_Strict):
    title: str
    file: str


class _RawSources(_Strict):
    sources: dict[str, _RawSeed] = {}


class _RawSignals(_Strict):
    signals: dict[str, str] = {}


class _RawRules(_Strict):
    rules: list[Any] = []  # each rule is validated on its own (_RawRule)


FILE_KEYS = ("sources", "signals", "rules")
