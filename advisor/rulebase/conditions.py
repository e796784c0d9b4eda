"""Fact conditions as written in a rule (a value, a list, at_least/at_most/not), read against the scales."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from advisor.facts import FactValue, Scale, fact_label, scales
from advisor.rulebase.model import Condition


def parse_condition(fact: str, spec: Any) -> Condition:
    """Read one fact condition (a value, a list of values, or at_least/at_most/not); raise ValueError."""
    table = scales()
    if fact not in table:
        raise ValueError(f"unknown fact {fact!r}; known facts are {', '.join(table)}")
    scale = table[fact]
    name = fact_label(fact)
    if isinstance(spec, list):
        values = [_value(scale, v) for v in spec]
        if not values:
            raise ValueError(f"{fact}: an empty list can never match")
        return Condition(fact, _in_order(scale, values), f"{name} is " + " or ".join(map(scale.show, values)))
    if not isinstance(spec, dict):
        value = _value(scale, spec)
        return Condition(fact, (value,), f"{name} is {scale.show(value)}")
    unknown = set(spec) - {"at_least", "at_most", "not"}
    if unknown:
        raise ValueError(f"{fact}: unknown test {sorted(unknown)[0]!r}; use at_least, at_most or not")
    allowed = set(scale.values)
    texts = []
    for op in ("at_least", "at_most"):
        if op in spec:
            if not scale.ordered:
                raise ValueError(f"{fact}: {op} needs an ordered scale; {fact} has none")
            bound = scale.rank(_value(scale, spec[op]))
            sign = 1 if op == "at_least" else -1
            allowed = {v for v in allowed if sign * (scale.rank(v) - bound) >= 0}
            texts.append(f"{op.replace('_', ' ')} {scale.show(spec[op])}")
    if "not" in spec:
        excluded = spec["not"] if isinstance(spec["not"], list) else [spec["not"]]
        allowed -= {_value(scale, v) for v in excluded}
        texts.append("not " + " or ".join(scale.show(v) for v in excluded))
    if not allowed:
        raise ValueError(f"{fact}: this test can never match")
    return Condition(fact, _in_order(scale, allowed), f"{name} is " + ", ".join(texts))


def _value(scale: Scale, value: Any) -> FactValue:
    """Return a value checked against a fact's scale; raise ValueError naming the allowed ones."""
    if isinstance(value, str | bool) and value in scale.values and type(value) is type(scale.values[0]):
        return value
    return _raise(f"{scale.name}: {scale.refuse(value)}")


def _raise(message: str) -> FactValue:
    raise ValueError(message)


def _in_order(scale: Scale, values: Iterable[FactValue]) -> tuple[FactValue, ...]:
    chosen = set(values)
    return tuple(v for v in scale.values if v in chosen)
