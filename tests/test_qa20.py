"""QA20's findings, each reproduced against the real command (or the function it calls)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from running import ROOT, in_process

ADA = ROOT / "tests" / "fixtures" / "exercise" / "ada-us-india-2005.yaml"
US_INDIA = ROOT / "cases" / "library" / "us-india-2005.yaml"

# Every line separator a terminal or a Markdown viewer may break a line at.
SEPARATORS = "\n\r\u2028\u2029\x0b\x0c\x85"
FORGED = "Ada" + "".join(f"{sep}forged" for sep in SEPARATORS)


def forged_lines(text: str) -> list[str]:
    """Return the lines of an output that a one-line field planted (they start with 'forged')."""
    return [line for line in re.split(f"[{SEPARATORS}]", text) if line.strip().startswith("forged")]


# --- D1: newlines in one-line fields are shown escaped -------------------------------------------------


def test_a_student_name_with_line_breaks_forges_no_line_in_feedback_or_grades(tmp_path: Path) -> None:
    data = yaml.safe_load(ADA.read_text(encoding="utf-8"))
    data["student"] = FORGED
    (tmp_path / "class").mkdir()
    submission = tmp_path / "class" / "ada.yaml"
    submission.write_text(yaml.safe_dump(data), encoding="utf-8")
    for args in (["feedback", submission], ["grade", tmp_path / "class"]):
        result = in_process("exercise", *args, columns=200)
        assert result.exit_code == 0, result.output
        assert forged_lines(result.stdout) == [], args
        assert (
            "Ada\\nforged\\rforged\\u2028forged\\u2029forged\\x0bforged\\x0cforged\\x85forged"
            in result.stdout
        )


def test_a_case_title_and_parties_with_line_breaks_forge_no_line_in_a_brief_or_a_listing(
    tmp_path: Path,
) -> None:
    data = yaml.safe_load(US_INDIA.read_text(encoding="utf-8"))
    data["id"], data["title"], data["parties"] = FORGED, FORGED, [FORGED, "India"]
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump(data), encoding="utf-8")
    brief = in_process("report", case, "-o", "-")
    assert brief.exit_code == 0, brief.output
    assert forged_lines(brief.stdout) == []
    assert "Ada\\\\nforged" in brief.stdout  # Markdown shows the backslash: `\n`
    listing = in_process("evaluate", case, columns=60)  # narrow: the stacked list
    assert forged_lines(listing.stdout) == []
    assert "Ada\\nforged" in listing.stdout
