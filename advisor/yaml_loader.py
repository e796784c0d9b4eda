"""Choosing PyYAML's safe loader for a text: libyaml's (in C, fast) unless it might nest too deep.

``advisor.documents`` composes every YAML file with the loader chosen here and turns the nodes
into plain data itself. libyaml's loader resolves each plain scalar's tag in Python; the one
here remembers the tags it has resolved.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml


def safe_loader(text: str, deepest: int) -> type[yaml.SafeLoader]:
    """Choose libyaml's fast safe loader, unless collections may nest deeper than ``deepest``.

    libyaml's composer recurses in C and crashes the process on very deep nesting;
    PyYAML's own composer raises RecursionError instead, which becomes a clear error.
    Brackets or dashes inside quoted strings can only make the estimate too high, never too low.
    """
    if _FastLoader is None or flow_depth(text) + block_depth(text, deepest) > deepest:
        return yaml.SafeLoader
    return _FastLoader


class _Tags:
    """A safe loader's resolver with each plain scalar's tag remembered (it has no path resolvers:
    the tag follows from the scalar's text and how it was written, whatever the document)."""

    _known: ClassVar[dict[tuple[str, Any], str]] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)  # type: ignore[misc]
        tag = self._known.get((value, implicit))
        if tag is None:
            tag = super().resolve(kind, value, implicit)  # type: ignore[misc]
            if len(self._known) < 4096:
                self._known[(value, implicit)] = tag
        return tag


_FastLoader = type("_FastLoader", (_Tags, yaml.CSafeLoader), {}) if hasattr(yaml, "CSafeLoader") else None


_BRACKET = re.compile(r"[\[\]{}]")
_INDICATOR = re.compile(r"(?:^|(?<=[ \t]))[-?:](?=[ \t]|$)")


def block_depth(text: str, limit: int = 64) -> int:
    """Return an upper bound on how deep block collections nest in a text (exact only up to ``limit``).

    A nested block collection is either indented further (a mapping's sequence may
    share its key's column, hence two levels a column) or opened on the same line
    by an indicator ('- ', '? ', ': '). Only lines long enough to go past ``limit``
    are searched for indicators.
    """
    deepest = 0
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        bound = 2 * (indent + 1)
        if bound + (len(line) - indent + 1) // 2 > limit:  # the indicators cannot exceed this
            bound += len(_INDICATOR.findall(line, indent))
        deepest = max(deepest, bound)
    return deepest


def flow_depth(text: str) -> int:
    """Return an upper bound on how deep flow collections ([...] and {...}) nest in a text."""
    depth = deepest = 0
    for char in _BRACKET.findall(text):  # the other characters change nothing
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}" and depth:
            depth -= 1
    return deepest
