"""The output layer: escaped terminal text and JSON, ASCII fallback, named stream failures, atomic writes."""

from __future__ import annotations

import codecs
import errno
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table
from rich.text import Text

from advisor import json_indented
from advisor.output import (
    MIN_WIDTH,
    OutputError,
    _Guarded,
    console,
    install,
    json_text,
    printable,
    spreadsheet_cell,
    write_atomically,
)

from running import examples

HOSTILE = "a\x1b[2Jb\x9bc\u202ed\ne\x07\udcff"


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_text(first: str) -> None:
    cell = spreadsheet_cell(first + 'HYPERLINK("http://x","y")')
    assert cell.startswith("'") and "\t" not in cell and "\r" not in cell


def test_a_spreadsheet_cell_escapes_controls_and_keeps_plain_text() -> None:
    assert spreadsheet_cell("Ada Example") == "Ada Example"
    assert spreadsheet_cell("Eve\x07\u202e\x1b]52;c;aGk=") == "Eve\\x07\\u202e\\x1b]52;c;aGk="
    assert spreadsheet_cell("a=b-c") == "a=b-c"


def test_printable_escapes_every_control_visibly() -> None:
    assert printable(HOSTILE) == "a\\x1b[2Jb\\x9bc\\u202ed\\ne\\x07\\xff"
    assert printable(HOSTILE, one_line=False) == "a\\x1b[2Jb\\x9bc\\u202ed\ne\\x07\\xff"
    assert printable("Côte d\u2019Ivoire — 日本\ttab") == "Côte d\u2019Ivoire — 日本\\ttab"


def render(renderable: Any, width: int = 60) -> str:
    install()
    out = Console(file=io.StringIO(), width=width, color_system=None, highlight=False)
    out.print(renderable)
    return out.file.getvalue()  # type: ignore[attr-defined,no-any-return]


def test_rich_shows_controls_escaped_and_keeps_its_own_newlines() -> None:
    shown = render(Text("title\x1b]52;c;aGk=\x07 end\nsecond line"))
    assert "\x1b" not in shown and "\x07" not in shown
    assert "title\\x1b]52;c;aGk=" in shown and " end\nsecond line" in shown  # rich drops the BEL itself


def test_a_table_is_laid_out_with_the_escapes_counted() -> None:
    table = Table("case", "outcome")
    table.add_row("x\x1b[2Jy", "alliance")
    lines = render(table).splitlines()
    assert "x\\x1b[2Jy" in "\n".join(lines)
    assert len({len(line) for line in lines if line.strip()}) == 1  # every row as wide as the others


def test_json_escapes_c1_bidi_and_surrogates_and_stays_valid() -> None:
    data = {"title": "x\x1b\x9b\u202e\udcff", "name": "Côte"}
    text = json_text(data)
    assert all(ch not in text for ch in "\x1b\x9b\u202e\udcff")
    assert json.loads(text)["title"] == data["title"]


def test_the_fallback_gives_ascii_look_alikes() -> None:
    assert "✓ Café — “x” ⚠ 日".encode("ascii", "advisor-fallback") == b'+ Cafe - "x" ! ?'
    assert codecs.encode("\udcff", "utf-8", "advisor-fallback") == b"\\xff"


def test_a_console_is_never_narrower_than_the_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    for columns in ("0", "5"):
        monkeypatch.setenv("COLUMNS", columns)
        assert console().width == MIN_WIDTH


class Full(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_failed_write_names_standard_output() -> None:
    guarded = _Guarded(Full(), "standard output")
    with pytest.raises(OutputError, match=r"^standard output: cannot write \(No space left on device\)$"):
        guarded.write("x")


def test_a_full_disk_leaves_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "junit.xml"
    write_atomically(path, "good\n")

    def full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(path, "half")
    assert path.read_text() == "good\n"
    assert [p.name for p in tmp_path.iterdir()] == ["junit.xml"]


def test_atomic_writes_go_through_links_and_refuse_devices(tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    target.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    write_atomically(link, "new")
    assert link.is_symlink() and target.read_text() == "new"
    with pytest.raises(OSError, match="not a regular file"):
        write_atomically(Path("/dev/null"), "x")
    fifo = tmp_path / "f.xml"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        write_atomically(fifo, "x")


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=examples(200), deadline=None)
@given(_JSON_VALUES, st.booleans())
def test_indented_json_is_what_json_dumps_writes(data: Any, ascii_only: bool) -> None:
    assert json_indented.dumps(data, ensure_ascii=ascii_only) == json.dumps(
        data, indent=2, ensure_ascii=ascii_only
    )


def test_indented_json_leaves_what_it_does_not_know_to_json_dumps() -> None:
    class Number(int):
        pass

    odd = {"a": [Number(3), {1: "x", None: [True]}], "b": float("nan"), "c": (float("inf"), -float("inf"))}
    assert json_indented.dumps(odd) == json.dumps(odd, indent=2)
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        json_indented.dumps(loop)
