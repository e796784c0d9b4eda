"""Reading YAML and JSON documents safely, remembering where each value stood.

Every file the advisor reads (rule files, case files) comes through here. YAML
is composed with PyYAML's safe loader into nodes and turned into plain data by
hand, so that no tag can construct an object, duplicate keys and merge keys are
errors, aliases cannot expand without bound, and every value keeps its line.

Before a byte is read, the file must be a regular file (not a FIFO, a device or
a directory) no larger than MAX_BYTES; YAML and JSON then share that one size
limit. Numbers longer than MAX_DIGITS digits and strings holding lone UTF-16
surrogates are refused, so that no later step fails on them.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from advisor.yaml_loader import safe_loader

MAX_BYTES = 5_000_000
MAX_ALIASED = 100_000  # values reached again through aliases: what an alias bomb multiplies
MAX_DEPTH = 64
MAX_DIGITS = 30  # no number in a case or rule file needs more; Python refuses past 4,300

Path_ = tuple[str | int, ...]

_STR, _BOOL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:bool"
_SURROGATE = re.compile("[\ud800-\udfff]")
_PLAIN_TAGS = {f"tag:yaml.org,2002:{kind}" for kind in ("str", "int", "float", "bool", "null", "map", "seq")}


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
    return parse_document(read_bytes(path), json_syntax=path.suffix.lower() == ".json")


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """Return a regular file's bytes, refusing anything else or anything larger than ``limit``.

    The file is opened without blocking (a FIFO would wait for a writer) and checked
    on the open descriptor, so it cannot be swapped between the check and the read.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise DocumentError(open_problem(path, exc)) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise DocumentError(f"not a regular file ({file_kind(info.st_mode)})")
        if info.st_size > limit:
            raise DocumentError(f"the file is larger than {limit // 1_000_000} MB")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            # as much as fstat says (a buffer of the limit's size costs more than the file), then
            # on to the limit if there is more: the file grew, or its size is not known (/proc)
            want = min(info.st_size, limit) + 1
            raw = handle.read(want)
            if len(raw) == want and want <= limit:
                raw += handle.read(limit + 1 - want)
    except OSError as exc:
        raise DocumentError(f"cannot read the file ({exc.strerror or exc})") from None
    finally:
        os.close(descriptor)
    if len(raw) > limit:
        raise DocumentError(f"the file is larger than {limit // 1_000_000} MB")
    return raw


def open_problem(path: Path, exc: OSError) -> str:
    """Say why a path cannot be opened, telling a link loop or a dangling link from a missing file."""
    if exc.errno == errno.ELOOP:
        return "a symbolic link loop (the link leads back to itself)"
    if exc.errno == errno.ENOENT and os.path.islink(path):
        return f"a dangling symbolic link (to {os.readlink(path)!r}, which does not exist)"
    if exc.errno == errno.EISDIR:
        return "is a directory"
    return f"cannot read the file ({exc.strerror or exc})"


def file_kind(mode: int) -> str:
    """Name the kind of a file that is not a regular one."""
    kinds = [
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ]
    return next((name for test, name in kinds if test(mode)), "not a plain file")


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
            line, column = _position(raw, exc.start)
            raise DocumentError(
                f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})", line, column
            ) from None
    if "\x00" in text:
        raise DocumentError("binary data, not a YAML or JSON text", *_position(text, text.index("\x00")))
    return text


def _position(text: bytes | str, offset: int) -> tuple[int, int]:
    """Return the line and column (from 1) of an offset into a text, to name where a bad byte stands."""
    newline = b"\n" if isinstance(text, bytes) else "\n"
    start = text.rfind(newline, 0, offset) + 1  # type: ignore[arg-type]
    return text.count(newline, 0, offset) + 1, offset - start + 1  # type: ignore[arg-type]


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
        data = json.loads(text, object_pairs_hook=pairs, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise DocumentError(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:
        raise DocumentError(f"nested more than {MAX_DEPTH} levels deep") from None
    if _ESCAPED_SURROGATE.search(text):
        _refuse_surrogates(data, text)
    return Document(data)


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _json_int(digits: str) -> int:
    """Return a JSON integer, refusing one too long to be a year or a priority."""
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise DocumentError(_too_long(digits))
    return int(digits)


def _too_long(digits: str) -> str:
    return (
        f"a number of {len(digits.lstrip('-+'))} digits ({digits[:12]}...); at most {MAX_DIGITS} are allowed"
    )


def _refuse_surrogates(data: Any, text: str) -> None:
    """Raise DocumentError at the first string holding half of a UTF-16 surrogate pair."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack += [*value.keys(), *value.values()]
        elif isinstance(value, list):
            stack += value
        elif isinstance(value, str) and (bad := _surrogate(value)) is not None:
            at = re.search(rf"\\u{bad:04x}", text, re.IGNORECASE)
            line = text.count("\n", 0, at.start()) + 1 if at else None
            raise DocumentError(_surrogate_message(bad), line)


def _surrogate(text: str) -> int | None:
    """Return the first lone surrogate code point in a string, or None."""
    found = _SURROGATE.search(text)
    return None if found is None else ord(found.group())


def _surrogate_message(code: int) -> str:
    return f"a lone UTF-16 surrogate (\\u{code:04x}) in a string: it is half of a character, not text"


def _parse_yaml(text: str) -> Document:
    """Compose YAML safely and convert its nodes into plain data."""
    try:
        node = yaml.compose(text, Loader=safe_loader(text, MAX_DEPTH))
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
        self.budget = MAX_ALIASED
        self.seen: set[int] = set()
        self.scalars = yaml.SafeLoader("")

    def convert(self, node: yaml.Node, path: Path_) -> Any:
        """Return the plain value of a node, recording its line."""
        if id(node) in self.seen:  # reached again through an alias: this is what a bomb multiplies
            self.budget -= 1
            if self.budget < 0:
                raise DocumentError(
                    f"aliases expand to more than {MAX_ALIASED} values (an alias bomb)",
                    node.start_mark.line + 1,
                )
        self.seen.add(id(node))
        if len(path) > MAX_DEPTH:
            raise DocumentError(f"nested more than {MAX_DEPTH} levels deep", node.start_mark.line + 1)
        self.lines.setdefault(path, node.start_mark.line + 1)
        if type(node) is yaml.ScalarNode:
            return self._scalar(node)
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN_TAGS:
            raise _tag_error(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        seen = self.seen
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise DocumentError("merge keys ('<<') are not supported", line)
            if not isinstance(key_node, yaml.ScalarNode):
                raise DocumentError("a key must be a plain value, not a list or mapping", line)
            key = self._scalar(key_node)
            if not isinstance(key, str):  # a key is a name: 1, 2.5, true and ~ stay as written
                key = key_node.value
            if key in result:
                raise DocumentError(f"duplicate key {key!r}", line)
            at = (*path, key)
            self.lines[at] = line
            if type(value_node) is yaml.ScalarNode and id(value_node) not in seen and len(at) <= MAX_DEPTH:
                seen.add(id(value_node))  # as convert would, its line being the key's
                result[key] = self._scalar(value_node)
            else:
                result[key] = self.convert(value_node, at)
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        tag = node.tag
        if tag == _STR:  # its text; only a text that is not ASCII can hold a surrogate
            if not node.value.isascii() and (bad := _surrogate(node.value)) is not None:
                raise DocumentError(_surrogate_message(bad), node.start_mark.line + 1)
            return node.value
        if tag == _BOOL:  # as PyYAML's safe constructor reads a boolean
            return yaml.SafeLoader.bool_values[node.value.lower()]
        if tag == "tag:yaml.org,2002:timestamp":
            return node.value  # a date stays the text it was written as
        if tag not in _PLAIN_TAGS:
            raise _tag_error(node)
        line = node.start_mark.line + 1
        if tag == "tag:yaml.org,2002:int" and sum(c.isdigit() for c in node.value) > MAX_DIGITS:
            raise DocumentError(_too_long(node.value), line)
        value = node.value if tag == _STR else self.scalars.construct_object(node)  # a string: its text
        if isinstance(value, str) and (bad := _surrogate(value)) is not None:
            raise DocumentError(_surrogate_message(bad), line)
        return value


def _tag_error(node: yaml.Node) -> DocumentError:
    """Explain that a node's tag would construct something other than plain data."""
    return DocumentError(
        f"the tag {node.tag!r} is not allowed: only plain strings, numbers, booleans, lists and mappings",
        node.start_mark.line + 1,
    )
