"""QA20's findings, each reproduced against the real command (or the function it calls)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from running import ROOT, Terminal, in_process

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


# --- D2: the exercise's commands are the questionnaire's ---------------------------------------------


class _Leaves:
    """A prompter that leaves (Ctrl-C) at the first question."""

    def select(self, message: str, options: object, default: object = None, hint: str = "") -> str:
        raise KeyboardInterrupt

    def text(self, message: str, default: str = "") -> str:
        raise KeyboardInterrupt


def test_the_commands_an_exercise_announces_are_the_ones_its_questions_take(tmp_path: Path) -> None:
    import io

    from rich.console import Console

    from advisor.ask.prompts import pick
    from advisor.ask.questions import BACK, HELP, UNKNOWN, WHY, options
    from advisor.ask.session import Session
    from advisor.exercise.pack import load_pack
    from advisor.exercise.session import Exercise, run

    pack = load_pack()
    scenario = pack.scenarios["us-japan-1960"]
    screen = io.StringIO()
    exercise = Exercise(scenario, "Ada", Session(parties=list(scenario.parties)))
    console = Console(file=screen, width=300)
    status = run(exercise, pack, tmp_path / "out.yaml", prompter=_Leaves(), console=console)
    assert status == 130
    said = " ".join(screen.getvalue().split())
    announced = re.search(r"At any question: (.*?)\. Ctrl-C", said)
    assert announced is not None, said
    commands = re.findall(r"\?\w+", announced.group(1))
    entries = options("threat_level", 80)  # its values include "high": 'h' is an answer's start
    assert [pick(c, entries) for c in commands] == [WHY, HELP, UNKNOWN, BACK]
    assert pick("h", entries) == "high"  # a letter alone is an answer, as in advisor ask


# --- D3: "with other answers it could be X" names only outcomes some answers give ------------------------


def test_the_outcomes_other_answers_could_give_are_given_by_some_answers() -> None:
    import itertools
    import random

    from advisor.ask.casefile import advice_for
    from advisor.ask.gaps import find_gaps
    from advisor.ask.session import Session
    from advisor.engine import advise, get_engine
    from advisor.facts import FACT_NAMES, scales

    engine, rng, claims = get_engine(), random.Random(1), 0
    for _ in range(60):
        facts = {f: rng.choice(scales()[f].values) for f in FACT_NAMES}
        unknown = rng.sample(FACT_NAMES, 2)
        session = Session(parties=["A", "B"])
        for fact in FACT_NAMES:
            session.answer(fact, None if fact in unknown else facts[fact])
        rec = advice_for(session, engine)
        others = find_gaps(session, rec, engine).others or ()
        given = {
            advise({**facts, **dict(zip(unknown, values, strict=True))}, engine=engine).outcome
            for values in itertools.product(*(scales()[f].values for f in unknown))
        }
        assert set(others) == given - {rec.outcome}, (unknown, facts)
        claims += bool(others)
    assert claims >= 10  # the check was put to the test


# --- D4: links to directories are followed, loops reported ----------------------------------------------


def test_evaluate_follows_a_link_to_a_directory_and_reports_a_loop(tmp_path: Path) -> None:

    (tmp_path / "top" / "real").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(US_INDIA, tmp_path / "elsewhere")
    shutil.copy(ROOT / "cases" / "library" / "us-japan-1960.yaml", tmp_path / "top" / "real")
    os.symlink(tmp_path / "elsewhere", tmp_path / "top" / "real" / "linked")
    os.symlink(tmp_path / "top" / "real", tmp_path / "top" / "same")  # a second way in: read once
    result = in_process("evaluate", tmp_path / "top", "--json")
    assert result.exit_code == 0, result.output
    cases = [r["case"] for r in json.loads(result.stdout)["results"]]
    assert sorted(cases) == ["us-india-2005", "us-japan-1960"]
    os.symlink(tmp_path / "top", tmp_path / "top" / "real" / "loop")
    result = in_process("evaluate", tmp_path / "top")
    assert result.exit_code == 2
    assert "a link to a directory it is in (a loop)" in result.stderr
    assert "us-india-2005" in result.stdout


# --- D5: --against names an edited rule of evidence against an outcome ------------------------------------


def test_against_names_an_edit_to_evidence_against_an_outcome(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    evidence = rules / "40-evidence.yaml"
    text = evidence.read_text(encoding="utf-8")
    start = text.index("  - id: ALX-05")  # a costly ratification counts against an alliance: -0.25
    at = text.index("cf: -0.25", start)
    evidence.write_text(text[:at] + "cf: -0.85" + text[at + len("cf: -0.25") :], encoding="utf-8")
    library = ROOT / "cases" / "library"
    result = in_process(
        "evaluate", library / "nato-1949.yaml", library / "rio-treaty-1947.yaml", "--against", rules, "--json"
    )
    assert result.exit_code in (0, 1), result.output
    changes = json.loads(result.stdout)["changes"]
    assert [c["case"] for c in changes] == ["nato-1949", "rio-treaty-1947"]
    for change in changes:
        assert change["old"] == "alliance" and change["new"] != "alliance"
        assert "ALX-05" in change["difference"] and change["edited"] == ["ALX-05"]


# --- D8: a submission named twice is graded once ----------------------------------------------------------


def test_a_submission_named_as_itself_and_in_its_folder_is_graded_once(tmp_path: Path) -> None:
    (tmp_path / "class").mkdir()
    shutil.copy(ADA, tmp_path / "class" / "ada.yaml")
    result = in_process("exercise", "grade", tmp_path / "class", tmp_path / "class" / "ada.yaml", "--json")
    assert result.exit_code == 0, result.output
    grades = json.loads(result.stdout)
    assert grades["errors"] == [] and grades["summary"]["submissions"] == grades["summary"]["graded"] == 1


# --- D12: a name typed at the first prompt, then Ctrl-C, is kept ----------------------------------------


@pytest.mark.slow  # a pseudo-terminal
def test_a_name_typed_but_not_entered_is_kept_on_ctrl_c(tmp_path: Path) -> None:
    term = Terminal(tmp_path, "ask")
    term.child.expect("First party's name")
    term.child.send("Ruritania")
    term.child.expect("Ruritania")
    term.child.send("\x03")  # Ctrl-C before Enter
    term.child.expect("Continue with: ")
    assert term.finish() == 130
    assert "nothing to keep" not in term.screen
    [resume] = tmp_path.glob("*.advisor-resume.yaml")
    assert yaml.safe_load(resume.read_text(encoding="utf-8"))["suggested_parties"] == ["Ruritania"]


# --- a quoted boolean in a submission is named as in a case file ------------------------------------------


def test_a_quoted_boolean_in_a_submission_is_named_as_evaluate_names_it(tmp_path: Path) -> None:
    data = yaml.safe_load(ADA.read_text(encoding="utf-8"))
    data["facts"]["rival_ties"] = "false"
    (tmp_path / "sub.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    case = yaml.safe_load(US_INDIA.read_text(encoding="utf-8"))
    case["facts"]["rival_ties"] = "false"
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(case), encoding="utf-8")
    said = "facts.rival_ties: 'false' is not a boolean but a string; write false without quotes"
    feedback = in_process("exercise", "feedback", tmp_path / "sub.yaml")
    evaluation = in_process("evaluate", tmp_path / "case.yaml")
    assert feedback.exit_code == evaluation.exit_code == 2
    assert said in feedback.stderr and said in evaluation.stderr
    assert len(feedback.stderr.strip().splitlines()) == 1
