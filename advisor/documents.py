"""Reading YAML and JSON documents safely, remembering where each value stood.

Every file the advisor reads (rule files, case files) comes through here. YAML
is composed with PyYAML's safe loader into nodes and turned into plain data by
hand, so that no tag can construct an object, duplicate keys and merge keys are
errors, aliases cannot expand without bound, and every value keeps its line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 5_000_000
MAX_NODES = 200_000
MAX_DEPTH = 64

Path_ = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


class DocumentError(ValueError):
    """A document that cannot be read as data; the message says where and why."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        where = f"line {line}" + (f", column {column}" if column else "") + ": " if line else ""
        super().__init__(where + message)
        self.line = line


@dataclass
class Document:
    """Plain data read from a file, with the line each value was written on."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        """Return the line of the value at ``path``, or of its nearest enclosing value."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


def read_document(path: Path) -> Document:
    """Read a YAML or JSON file into a Document, or raise DocumentError."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read the file ({exc.strerror or exc})") from None
    return parse_document(raw, json_syntax=path.suffix.lower() == ".json")


def parse_document(raw: bytes | str, *, json_syntax: bool = False) -> Document:
    """Parse bytes or text as YAML (or JSON) into a Document, or raise DocumentError."""
    text = _decode(raw)
    if not text.strip():
        raise DocumentError("the file is empty")
    if json_syntax:
        return _parse_json(text)
    return _parse_yaml(text)


def _decode(raw: bytes | str) -> str:
    """Return the text of a file that must be UTF-8 and not binary."""
    if isinstance(raw, str):
        text = raw
    else:
        if len(raw) > MAX_BYTES:
            raise DocumentError(f"the file is larger than {MAX_BYTES // 1_000_000} MB")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DocumentError(
                f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
            ) from None
    if "\x00" in text:
        raise DocumentError("binary data, not a YAML or JSON text")
    return text


def _parse_json(text: str) -> Document:
    """Parse JSON text, rejecting duplicate keys."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                raise DocumentError(f"duplicate key {key!r}")
            result[key] = value
        return result

    try:
        return Document(json.loads(text, object_pairs_hook=pairs))
    except json.JSONDecodeError as exc:
        raise DocumentError(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:
        raise DocumentError(f"nested more than {MAX_DEPTH} levels deep") from None


def _loader(text: str) -> type[yaml.SafeLoader]:
    """Choose libyaml's fast safe loader, unless flow brackets may nest deeper than we accept.

    libyaml's composer recurses in C and crashes the process on very deep nesting;
    PyYAML's own composer raises RecursionError instead, which becomes a clear error.
    Brackets inside quoted strings can only make this estimate too high, never too low.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is None or _flow_depth(text) > MAX_DEPTH:
        return yaml.SafeLoader
    return fast  # type: ignore[no-any-return]


def _flow_depth(text: str) -> int:
    """Return an upper bound on how deep flow collections ([...] and {...}) nest in a text."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}" and depth:
            depth -= 1
    return deepest


def _parse_yaml(text: str) -> Document:
    """Compose YAML safely and convert its nodes into plain data."""
    try:
        node = yaml.compose(text, Loader=_loader(text))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        problem = exc.problem or "invalid YAML"
        if mark is None:
            raise DocumentError(f"invalid YAML: {problem}") from None
        raise DocumentError(f"invalid YAML: {problem}", mark.line + 1, mark.column + 1) from None
    except yaml.YAMLError as exc:
        raise DocumentError(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise DocumentError(f"nested more than {MAX_DEPTH} levels deep") from None
    if node is None:
        raise DocumentError("the file holds no data")
    document = Document(None)
    document.data = _Converter(document.lines).convert(node, ())
    return document


class _Converter:
    """Turns composed YAML nodes into plain data under a node budget."""

    def __init__(self, lines: dict[Path_, int]):
        self.lines = lines
        self.budget = MAX_NODES
        self.scalars = yaml.SafeLoader("")

    def convert(self, node: yaml.Node, path: Path_) -> Any:
        """Return the plain value of a node, recording its line."""
        self.budget -= 1
        if self.budget < 0:
            raise DocumentError(
                f"more than {MAX_NODES} values (an alias bomb or a runaway file)",
                node.start_mark.line + 1,
            )
        if len(path) > MAX_DEPTH:
            raise DocumentError(f"nested more than {MAX_DEPTH} levels deep", node.start_mark.line + 1)
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN_TAGS:
            raise _tag_error(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise DocumentError("merge keys ('<<') are not supported", line)
            if not isinstance(key_node, yaml.ScalarNode):
                raise DocumentError("a key must be a plain value, not a list or mapping", line)
            key = self._scalar(key_node)
            if isinstance(key, bool) or key is None:
                key = key_node.value
            if key in result:
                raise DocumentError(f"duplicate key {key!r}", line)
            self.lines[(*path, key)] = line
            result[key] = self.convert(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # a date stays the text it was written as
        if node.tag not in _PLAIN_TAGS:
            raise _tag_error(node)
        return self.scalars.construct_object(node)


def _tag_error(node: yaml.Node) -> DocumentError:
    """Explain that a node's tag would construct something other than plain data."""
    return DocumentError(
        f"the tag {node.tag!r} is not allowed: only plain strings, numbers, booleans, lists and mappings",
        node.start_mark.line + 1,
    )
