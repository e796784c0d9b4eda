"""Files the commands write: never over a file they read, '-' for standard output; the closing line
of ``evaluate``; ``--case`` in a file whose other cases are invalid."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from running import ROOT, in_process

FIXTURES = ROOT / "tests" / "fixtures"
PAIR = FIXTURES / "evaluate" / "good" / "alliance.yaml"
SUBMISSION = FIXTURES / "exercise" / "ada-us-india-2005.yaml"


@pytest.fixture
def here(tmp_path: Path) -> Path:
    """Work in a fresh folder, so that ``./x`` spellings are relative to it."""
    old = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path  # type: ignore[misc]
    os.chdir(old)


# --- 1. an output never overwrites an input -----------------------------------------------------


@pytest.mark.parametrize("spelling", ["j.xml", "./j.xml", "link.xml"])
def test_evaluate_refuses_a_junit_file_that_is_a_case_file(here: Path, spelling: str) -> None:
    shutil.copy(PAIR, "j.xml")
    os.symlink("j.xml", "link.xml")
    before = Path("j.xml").read_text()
    result = in_process("evaluate", "j.xml", "--junit", spelling)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"advisor: --junit {Path(spelling)}: is one of the files read")
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""
    assert Path("j.xml").read_text() == before


def test_evaluate_refuses_a_junit_file_found_in_a_folder_it_reads(here: Path) -> None:
    Path("d").mkdir()
    shutil.copy(PAIR, "d/a.yaml")
    result = in_process("evaluate", "d", "--junit", "d/a.yaml")
    assert result.exit_code == 2 and "is one of the files read" in result.stderr
    assert Path("d/a.yaml").read_text() == PAIR.read_text()


@pytest.mark.parametrize("spelling", ["case.md", "./case.md", "link.md"])
def test_report_refuses_to_write_over_its_case_file(here: Path, spelling: str) -> None:
    shutil.copy(PAIR, "case.md")
    os.symlink("case.md", "link.md")
    result = in_process("report", "case.md", "-o", spelling)
    assert result.exit_code == 2 and "is one of the files read" in result.stderr
    assert result.stdout == "" and Path("case.md").read_text() == PAIR.read_text()


def test_grade_refuses_to_write_over_a_submission(here: Path) -> None:
    shutil.copy(SUBMISSION, "s.yaml")
    for option in ("--csv", "--report"):
        target = "s.yaml" if option == "--csv" else "s.md"
        if option == "--report":
            os.symlink("s.yaml", "s.md")
        result = in_process("exercise", "grade", "s.yaml", option, target)
        assert (
            result.exit_code == 2 and f"advisor: {option} {target}: is one of the files read" in result.stderr
        )
    assert Path("s.yaml").read_text() == SUBMISSION.read_text()


# --- 2. evaluate's closing line gives every reason ------------------------------------------------


def test_the_closing_line_names_unreadable_files_and_failed_expectations(here: Path) -> None:
    Path("d").mkdir()
    shutil.copy(FIXTURES / "evaluate" / "mismatch" / "wrong-expectation.yaml", "d/")
    Path("d/empty.yaml").write_text("")
    result = in_process("evaluate", "d")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "advisor: 1 of 2 files could not be read; "
        "1 of 1 cases disagree with their expected outcome (exit status 2)"
    )


def test_the_closing_line_counts_invalid_cases() -> None:
    result = in_process("evaluate", FIXTURES / "evaluate" / "mixed")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].endswith("; 2 cases are invalid (exit status 2)")


# --- 3. --case is not blocked by the other cases of its file --------------------------------------


@pytest.fixture
def three(here: Path) -> Path:
    base = yaml.safe_load(PAIR.read_text())
    cases = [
        {**base, "id": name, "facts": {**base["facts"], "threat_level": level}}
        for name, level in (("ok1", "high"), ("bad1", "severe"), ("ok2", "low"))
    ]
    Path("f.yaml").write_text(yaml.safe_dump(cases, sort_keys=False))
    return Path("f.yaml")


@pytest.mark.parametrize(
    "command", [("advise",), ("explain",), ("precedents",), ("report", "-o", "-")], ids=lambda c: c[0]
)
def test_case_chooses_a_valid_case_beside_an_invalid_one(three: Path, command: tuple[str, ...]) -> None:
    good = in_process(*command, three, "--case", "ok1")
    assert good.exit_code == 0, good.stderr
    assert good.stderr.startswith("advisor: note: f.yaml: other cases in the file have errors ('bad1')")
    bad = in_process(*command, three, "--case", "bad1")
    assert bad.exit_code == 2 and bad.stdout == ""
    assert bad.stderr.splitlines() == [
        "advisor: f.yaml: case 'bad1': line 27: facts.threat_level: 'severe' is not one of "
        "none, low, moderate, high, existential, unknown"
    ]
    missing = in_process(*command, three, "--case", "nope")
    assert missing.exit_code == 2
    assert missing.stderr == "advisor: f.yaml: no case 'nope'; it holds ok1, ok2, bad1 (invalid)\n"


# --- 4. '-' is standard output ------------------------------------------------------------------


def test_junit_dash_writes_the_xml_on_standard_output(here: Path) -> None:
    result = in_process("evaluate", PAIR, "--junit", "-")
    assert result.exit_code == 0 and not Path("-").exists()
    assert result.stdout.startswith("<?xml") and "<testcase" in result.stdout
    refused = in_process("evaluate", PAIR, "--junit", "-", "--json")
    assert refused.exit_code == 2 and refused.stdout == ""
    assert refused.stderr.startswith("advisor: --junit -: standard output carries the JSON")


def test_grade_dash_writes_the_csv_or_the_report_on_standard_output(here: Path) -> None:
    shutil.copy(SUBMISSION, "s.yaml")
    csv = in_process("exercise", "grade", "s.yaml", "--csv", "-")
    assert csv.exit_code == 0, csv.stderr
    assert csv.stdout.startswith("student,") and not Path("-").exists()
    report = in_process("exercise", "grade", "s.yaml", "--report", "-")
    assert report.exit_code == 0 and report.stdout.startswith("#")
    both = in_process("exercise", "grade", "s.yaml", "--report", "-", "--csv", "-")
    assert both.exit_code == 2 and both.stdout == "" and len(both.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (("evaluate", "x.yaml"), "--junit"),
        (("report", "x.yaml"), "-o"),
        (("exercise", "grade", "x"), "--csv"),
    ],
)
def test_help_says_what_dash_means(command: tuple[str, ...], option: str) -> None:
    assert "'-'" in in_process(*command[:-1], "--help", columns=200).stdout
