"""The shape of a rule file as written: strict pydantic models, checked before any rule is built.

A rule file is validated in parts (its sources, its signals, then each rule on its
own), so that one bad rule is reported by its id and the rest of the file still loads.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from advisor.strict import StrictModel, shaped

MAX_CF = 0.95  # a single rule is never certain: EMYCIN's combination needs |cf| < 1
ID_PATTERN = re.compile(r"^[A-Z]{2,4}-\d{2}$")
SIGNAL_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


RuleId = Annotated[
    str, shaped(ID_PATTERN, "a rule id is two to four capitals, a hyphen and two digits (THR-01)")
]


class _RawSource(StrictModel):
    seed: str | None = None
    cite: str | None = None
    passage: str


class _RawWhen(StrictModel):
    facts: dict[str, Any] = {}
    signals: list[str] = []
    without: list[str] = []
    recommended: list[str] = []


class _RawThen(StrictModel):
    signal: str | None = None
    evidence: str | list[str] | None = None
    cf: float | None = None
    caution: str | None = None
    combine: Literal["certainty_factors"] | None = None
    propose: Any = None  # retired in 0.2: reported with a pointer to evidence/cf
    priority: Any = None
    resolve: Any = None


class _RawRule(StrictModel):
    id: RuleId
    title: str
    when: _RawWhen = _RawWhen()
    then: _RawThen
    rationale: str
    source: _RawSource


class _RawSeed(StrictModel):
    title: str
    file: str


class _RawSources(StrictModel):
    sources: dict[str, _RawSeed] = {}


class _RawSignals(StrictModel):
    signals: dict[str, str] = {}


class _RawRules(StrictModel):
    rules: list[Any] = []  # each rule is validated on its own (_RawRule)


FILE_KEYS = ("sources", "signals", "rules")
