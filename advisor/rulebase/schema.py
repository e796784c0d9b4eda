"""The shape of a rule file as written: strict pydantic models, checked before any rule is built.

A rule file is validated in parts (its sources, its signals, then each rule on its
own), so that one bad rule is reported by its id and the rest of the file still loads.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

MAX_CF = 0.95  # a single rule is never certain: EMYCIN's combination needs |cf| < 1
ID_PATTERN = re.compile(r"^[A-Z]{2,4}-\d{2}$")
SIGNAL_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


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
    id: str
    title: str
    when: _RawWhen = _RawWhen()
    then: _RawThen
    rationale: str
    source: _RawSource

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError("a rule id is two to four capitals, a hyphen and two digits (THR-01)")
        return value


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
