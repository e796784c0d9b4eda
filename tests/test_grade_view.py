"""The class's grades in the terminal: nothing cut at any width, facts named as the questions name them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from advisor.exercise.grade import grade
from advisor.exercise.pack import load_pack
from advisor.exercise.synthetic import synthetic_class, write_class
from advisor.facts import fact_label
from advisor.render.exercise import grades_view


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120])
def test_the_grades_are_never_cut_and_name_facts_in_words(tmp_path: Path, width: int) -> None:
    write_class(tmp_path, synthetic_class(load_pack(), 8, seed=3))
    grades = grade([tmp_path], load_pack())
    out = io.StringIO()
    Console(file=out, width=width, color_system=None).print(grades_view(grades))
    shown = out.getvalue()
    assert "…" not in shown  # no cell cropped: a narrow terminal gets each row as a block instead
    flat = " ".join(shown.split())
    for row in grades.rows():
        assert str(row["scenario"]) in flat and str(row["student"]) in flat  # ids and names whole
    contested = [s for s in grades.spread() if s.disagreement > 0]
    assert contested
    for spread in contested[:3]:
        assert fact_label(spread.fact) in flat
    assert not any(spread.fact in flat for spread in contested if "_" in spread.fact)  # no raw ids
    assert max(len(line) for line in shown.splitlines()) <= width
