"""A narrow terminal: ``rules list``, ``rules show`` and ``exercise list`` fit down to 40 columns, their
tables shown as one block a row below 60; the other outputs keep their 60-column floor."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from running import in_process

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "library" / "us-japan-1960.yaml"
BOLD = "[bold red]x[/]"


def widest(text: str) -> int:
    return max(len(line.rstrip()) for line in text.splitlines())


def shown(*args: str | Path, columns: int) -> str:
    result = in_process(*args, columns=columns)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


def words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize("columns", [40, 47, 59])
def test_rules_list_fits_a_narrow_terminal_one_block_a_rule(columns: int) -> None:
    from advisor.rulebase import load_knowledge_base

    text = shown("rules", "list", columns=columns)
    assert widest(text) <= columns
    assert "…" not in text and "┃" not in text  # nothing cut short; no squeezed table
    lines = text.splitlines()
    kb = load_knowledge_base(None)
    for rule in kb.rules:
        assert rule.id in lines  # its heading line
    flat = " ".join(words(text))
    for rule in kb.rules:  # every title whole, whatever the wrapping
        assert " ".join(words(rule.title)) in flat
    assert f"{len(kb.rules)} rules, {len(kb.signals)} signals" in flat
    assert "Equal beliefs go to the first in the tie order:" in flat


@pytest.mark.parametrize("columns", [60, 100])
def test_rules_list_is_a_table_from_60_columns(columns: int) -> None:
    text = shown("rules", "list", columns=columns)
    assert "┃ id" in text and widest(text.split("\n\n")[0]) <= columns


def test_below_40_columns_the_floor_is_40() -> None:
    text = shown("rules", "list", columns=20)
    table = text.split("\n\n")[0]
    assert 20 < widest(table) <= 40


def test_exercise_list_fits_a_narrow_terminal() -> None:
    text = shown("exercise", "list", columns=40)
    assert widest(text) <= 40 and "…" not in text and "┃" not in text
    flat = " ".join(words(text))
    assert "nato-1949" in text.splitlines() and "year 1949" in flat
    assert "Start one with: advisor exercise start ID --student NAME" in flat
    assert "┃ id" in shown("exercise", "list", columns=80)


def test_rules_show_fits_a_narrow_terminal() -> None:
    assert widest(shown("rules", "show", "THR-01", columns=40)) <= 40


@pytest.mark.parametrize(
    "args",
    [("advise", CASE), ("explain", CASE), ("precedents", CASE), ("evaluate", CASE)],
)
def test_the_outputs_with_wide_tables_keep_their_60_column_floor(args: tuple[str | Path, ...]) -> None:
    """Below 60 columns their tables of several text columns cut words into letters: kept at 60."""
    assert widest(shown(*args, columns=40)) <= 60


def test_a_narrow_rule_list_shows_a_title_literally_never_as_markup(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / "50-cautions.yaml"
    old = "title: Entrapment within the alliance"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, f"title: 'Entrapment {BOLD}'", 1), encoding="utf-8")
    listed = shown("rules", "list", "--rules", rules, columns=40)
    assert "".join(BOLD.split()) in "".join(listed.split()) and "\x1b" not in listed
