"""Reading YAML and JSON safely: every hostile or broken input gives a clear DocumentError."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest
import yaml

from advisor.documents import MAX_BYTES, DocumentError, parse_document, read_bytes, read_document


def test_plain_yaml_keeps_the_line_of_every_value() -> None:
    document = parse_document("a: 1\nb:\n  - x\n  - y: true\n")
    assert document.data == {"a": 1, "b": ["x", {"y": True}]}
    assert document.line_of(("b", 1, "y")) == 4
    assert document.line_of(("b", 0)) == 3
    assert document.line_of(("nothing", "here")) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   \n", "empty"),
        ("a: 1\na: 2\n", "line 2: duplicate key 'a'"),
        ("a: [1\n", "line 2, column 1: invalid YAML"),
        ("!!python/object/apply:os.system ['true']", "tag"),
        ("a: !!python/name:os.system\n", "tag"),
        ("a: !!binary aGVsbG8=\n", "tag"),
        ("!!set {a, b}", "tag"),
        ("base: &b {x: 1}\nother:\n  <<: *b\n", "merge keys"),
        ("[" * 200 + "]" * 200, "nested"),
        ("a\x00b: 1", "binary"),
    ],
)
def test_bad_yaml_is_explained(text: str, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        parse_document(text)


def test_an_alias_bomb_is_stopped_without_expanding_it() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(DocumentError, match="alias bomb"):
        parse_document("\n".join(lines))


@pytest.mark.slow
def test_very_deep_flow_nesting_is_an_error_not_a_crash() -> None:
    # libyaml's C composer would crash the whole process on this input
    with pytest.raises(DocumentError, match="nested more than 64 levels"):
        parse_document("[" * 200_000 + "]" * 200_000)


def test_non_utf8_and_oversized_bytes_are_refused() -> None:
    with pytest.raises(DocumentError, match="not UTF-8"):
        parse_document(b"a: \xff\xfe\n")
    with pytest.raises(DocumentError, match="larger than"):
        parse_document(b"a: " + b"x" * 6_000_000)


def test_dates_stay_text_and_yaml_booleans_stay_booleans() -> None:
    assert parse_document("d: 2021-09-15\nb: false\n").data == {"d": "2021-09-15", "b": False}


def test_json_is_read_with_duplicate_keys_refused(tmp_path: Path) -> None:
    good = tmp_path / "c.json"
    good.write_text('{"a": [1, true, null]}')
    assert read_document(good).data == {"a": [1, True, None]}
    bad = tmp_path / "d.json"
    bad.write_text('{"a": 1, "a": 2}')
    with pytest.raises(DocumentError, match="duplicate key 'a'"):
        read_document(bad)
    broken = tmp_path / "e.json"
    broken.write_text('{"a": }')
    with pytest.raises(DocumentError, match="line 1, column 7: invalid JSON"):
        read_document(broken)


def test_a_missing_file_is_a_document_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="cannot read"):
        read_document(tmp_path / "nope.yaml")


# --- hostile input (issue 10) ------------------------------------------------------------------


def test_deep_block_nesting_is_an_error_not_a_crash() -> None:
    # "- " 40,000 times crashed libyaml's composer (exit 139); the flow-bracket guard missed it
    with pytest.raises(DocumentError, match="nested more than 64 levels"):
        parse_document("id: x\nnotes:\n" + "- " * 40_000 + "x\n")
    with pytest.raises(DocumentError, match="nested more than 64 levels"):
        parse_document("".join(" " * i + f"k{i}:\n" for i in range(300)) + " " * 300 + "x\n")


def test_ordinary_block_yaml_keeps_the_fast_loader() -> None:
    from advisor.yaml_loader import block_depth

    assert block_depth("a:\n  b:\n    - c: d\n      e: [1, 2]\nnotes: a - b: c\n") < 64


@pytest.mark.parametrize(
    ("text", "json_syntax"),
    [("year: " + "9" * 5001, False), ("year: -" + "9" * 5001, False), ('{"year": ' + "9" * 5001 + "}", True)],
)
def test_numbers_too_long_to_be_a_year_or_priority_are_refused(text: str, json_syntax: bool) -> None:
    with pytest.raises(DocumentError, match="a number of 5001 digits"):
        parse_document(text, json_syntax=json_syntax)
    assert parse_document("year: 2005").data == {"year": 2005}


def test_lone_surrogates_are_refused_with_their_line() -> None:
    with pytest.raises(DocumentError, match=r"line 2: a lone UTF-16 surrogate \(\\ud800\)"):
        parse_document('{"id": "x",\n "title": "bad \\ud800 title"}', json_syntax=True)
    with pytest.raises(DocumentError, match=r"line 2.*(a lone UTF-16 surrogate|invalid Unicode character)"):
        parse_document('id: x\ntitle: "bad \\ud800 title"\n')  # libyaml refuses it itself
    pair = parse_document('{"t": "\\ud83d\\ude00"}', json_syntax=True)  # a proper pair is one character
    assert pair.data == {"t": "\U0001f600"}


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    with pytest.raises(DocumentError, match=r"not a regular file \(a FIFO\)"):
        read_document(fifo)


def test_devices_and_directories_are_refused_before_reading(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"not a regular file \(a character device\)"):
        read_document(Path("/dev/zero"))
    with pytest.raises(DocumentError, match=r"is a directory|not a regular file"):
        read_document(tmp_path)
    with pytest.raises(DocumentError, match="character device"):
        read_bytes(Path("/dev/null"))


def test_an_oversized_file_is_refused_from_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: refused before a byte is read
    with pytest.raises(DocumentError, match="larger than 5 MB"):
        read_document(big)


def test_link_loops_and_dangling_links_are_named_as_such(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    with pytest.raises(DocumentError, match="symbolic link loop"):
        read_document(loop)
    dangling = tmp_path / "gone.yaml"
    dangling.symlink_to(tmp_path / "nowhere.yaml")
    with pytest.raises(DocumentError, match="dangling symbolic link"):
        read_document(dangling)


def test_keys_are_names_whatever_yaml_would_make_of_them() -> None:
    data = parse_document("facts: {1: low, 2.5: high, foo: x, ~: y, true: z}\n").data
    assert list(data["facts"]) == ["1", "2.5", "foo", "~", "true"]


@pytest.mark.slow  # converting 13,000 cases takes a while
def test_yaml_and_json_share_one_size_limit() -> None:
    case = {"id": "c", "facts": {f"f{i}": "x" for i in range(13)}, "parties": ["a", "b"]}
    cases = [copy.deepcopy(dict(case, id=f"c{i}")) for i in range(13_000)]  # over the old node budget
    as_yaml = yaml.safe_dump(cases)
    assert len(parse_document(as_yaml).data) == len(parse_document(json.dumps(cases), json_syntax=True).data)


@pytest.mark.slow  # a whole process; the default run keeps faster tests of the same area
def test_values_reached_through_aliases_are_counted() -> None:
    fine = parse_document("a: &a [" + ", ".join(["x"] * 1000) + "]\nb: [" + ", ".join(["*a"] * 90) + "]\n")
    assert len(fine.data["b"]) == 90
    with pytest.raises(DocumentError, match="aliases expand to more than 100000 values"):
        parse_document("a: &a [" + ", ".join(["x"] * 1000) + "]\nb: [" + ", ".join(["*a"] * 120) + "]\n")
