"""Reading YAML and JSON safely: every hostile or broken input gives a clear DocumentError."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.documents import DocumentError, parse_document, read_document


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
