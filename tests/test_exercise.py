"""Course exercises: packs and their checks, submissions, feedback, grading a class, reports, export.

Golden files: ``UPDATE_GOLDEN=1 uv run pytest tests/test_exercise.py`` (or
``ADVISOR_UPDATE_GOLDEN=1``) rewrites ``tests/golden/exercise/*``; review the diff
before committing it. They change whenever the rule base changes the advice.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml

from advisor.brief import md_text
from advisor.exercise.analyst import Analyst, CodingDifference
from advisor.exercise.feedback import feedback, sentence
from advisor.exercise.grade import CSV_COLUMNS, grade
from advisor.exercise.model import PackError, Rubric
from advisor.exercise.pack import load_pack
from advisor.exercise.students import export_for_students
from advisor.exercise.submission import (
    Answer,
    Submission,
    SubmissionError,
    read_submission,
    write_submission,
)
from advisor.exercise.synthetic import synthetic_class, write_class
from advisor.facts import ASKED_FACTS, FACT_NAMES, OPTIONAL_FACTS, FactValue
from advisor.outcomes import OUTCOME_IDS, label
from advisor.render.class_report import html, markdown

from running import GOLDEN, advisor, check_golden

ROOT = Path(__file__).resolve().parent.parent
PACK_DIR = ROOT / "exercises" / "course"
FIXTURES = ROOT / "tests" / "fixtures" / "exercise"
ADA = FIXTURES / "ada-us-india-2005.yaml"


# --- the shipped pack ---------------------------------------------------------------------------------


def test_the_course_pack_has_twelve_or_more_scenarios_covering_every_outcome() -> None:
    pack = load_pack()
    assert pack.directory == PACK_DIR.resolve()
    assert len(pack.scenarios) >= 12
    assert {s.actual for s in pack.scenarios.values()} == set(OUTCOME_IDS)
    for scenario in pack.scenarios.values():
        # every required fact, and the optional facts for a group (its reference gives them since 2026.3)
        group = len(scenario.parties) >= 3
        assert set(scenario.reference) == {*FACT_NAMES, *(OPTIONAL_FACTS if group else ())}
        assert all(scenario.why[f] for f in scenario.reference)
        assert 2 <= len(scenario.questions) <= 3
        assert scenario.debrief and scenario.sources


def test_each_scenario_names_its_case_and_the_outcome_the_case_records() -> None:
    """What happened is the case library's ``expected``; the coding may differ (codings are contestable)."""
    for scenario in load_pack().scenarios.values():
        assert scenario.case is not None
        path = next(
            p
            for p in (
                ROOT / "cases" / f"{scenario.case}.yaml",
                ROOT / "cases" / "library" / f"{scenario.case}.yaml",
            )
            if p.is_file()
        )
        case = yaml.safe_load(path.read_text())
        assert scenario.actual == case["expected"], scenario.id
        assert list(scenario.parties) == case["parties"] and scenario.year == case["year"]


def test_briefs_and_titles_give_no_outcome_away() -> None:
    """A brief never names a fact id, and neither it nor the title names the tier that was chosen."""
    giveaways = {
        "coordination": "comprehensive strategic partnership of coordination",
        "comprehensive": "comprehensive strategic",
        "coalition": "global coalition",
    }
    for scenario in load_pack().scenarios.values():
        text = (scenario.title + " " + scenario.brief).lower()
        assert not any(name in text for name in ASKED_FACTS), scenario.id
        phrase = giveaways.get(scenario.actual or "")
        assert phrase is None or phrase not in text, scenario.id
        # students see the id (exercise list, file names): it names no outcome either
        words = set(scenario.id.split("-"))
        assert not words & {*OUTCOME_IDS, "treaty", "pact", "strategic", "partnership"}, scenario.id


def test_the_students_copy_holds_no_source_naming_what_the_arrangement_became(tmp_path: Path) -> None:
    """An arrangement's documents name its form ("Mutual_Defense_Treaty", "Coalition_for_..."):
    the students' copy leaves the sources out, and still loads, lists and starts."""
    pack = load_pack()
    assert any(
        "treaty" in s.lower() or "coalition" in s.lower()
        for sc in pack.scenarios.values()
        for s in sc.sources
    )
    export_for_students(pack, tmp_path / "students")
    for path in (tmp_path / "students").glob("*.yaml"):
        assert "sources" not in yaml.safe_load(path.read_text()), path.name
    copy = load_pack(tmp_path / "students")
    assert copy.for_students and all(not sc.sources for sc in copy.scenarios.values())


@pytest.mark.slow
def test_the_exercise_commands_are_in_the_help() -> None:
    result = advisor("exercise", "--help")
    assert result.returncode == 0
    for command in ("list", "start", "feedback", "grade", "export"):
        assert command in result.stdout
    assert "exercise" in advisor("--help").stdout


@pytest.mark.slow  # a whole process; the default run keeps faster tests of the same area
def test_list_json_shows_ids_titles_years_and_parties_only() -> None:
    result = advisor("exercise", "list", "--json")
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert len(listed) == len(load_pack().scenarios)
    assert all(set(item) == {"id", "title", "year", "parties"} for item in listed)


# --- checking a pack ---------------------------------------------------------------------------------


def broken_pack(tmp_path: Path, name: str, text: str) -> Path:
    """Copy the pack.yaml and one good scenario into a folder, plus one scenario file with the given text."""
    folder = tmp_path / "pack"
    folder.mkdir()
    shutil.copy(PACK_DIR / "pack.yaml", folder / "pack.yaml")
    shutil.copy(PACK_DIR / "us-japan-1960.yaml", folder / "us-japan-1960.yaml")
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def good_scenario() -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load((PACK_DIR / "nato-1949.yaml").read_text())
    data["id"] = "copy"
    return data


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["reference"]["threat_level"].update(value="severe"),
            "reference.threat_level.value: 'severe'",
        ),
        (lambda d: d["reference"].pop("rival_ties"), "reference: missing rival_ties"),
        (lambda d: d["reference"]["rival_ties"].pop("why"), "reference.rival_ties.why: missing"),
        (lambda d: d.update(actual="treaty"), "actual: 'treaty' is not an outcome id"),
        (lambda d: d.update(colour="blue"), "colour: unknown key"),
        (lambda d: d.update(questions=["Only one?"]), "questions: 1 given; write two or three"),
        (lambda d: d.update(brief="The threat_level is high."), "brief: names the fact threat_level"),
        (lambda d: d.pop("debrief"), "debrief: missing"),
    ],
)
def test_a_bad_scenario_is_reported_with_its_file_line_and_field(
    tmp_path: Path, change, expected: str
) -> None:
    data = good_scenario()
    change(data)
    folder = broken_pack(tmp_path, "copy.yaml", yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    problem = next(p for p in caught.value.problems if expected in p)
    assert problem.startswith(f"{folder / 'copy.yaml'}: line ")


@pytest.mark.slow
def test_the_cli_names_the_file_and_line_of_a_bad_scenario(tmp_path: Path) -> None:
    folder = broken_pack(tmp_path, "bad.yaml", "id: bad\ntitle: x\nparties: [A, B]\nyear: nineteen\n")
    result = advisor("exercise", "list", "--pack", folder)
    assert result.returncode == 2
    assert f"{folder / 'bad.yaml'}: line 4: year: " in result.stderr
    assert "Traceback" not in result.stderr


def test_a_markdown_scenario_takes_its_brief_from_the_body(tmp_path: Path) -> None:
    data = good_scenario()
    body = data.pop("brief")
    front = yaml.safe_dump(data, sort_keys=False)
    folder = broken_pack(tmp_path, "copy.md", f"---\n{front}---\n{body}")
    pack = load_pack(folder)
    assert pack.scenario("copy").brief == str(body).strip()
    # an error in the front matter is reported at its line in the file, not in the front matter
    bad = front.replace("year: 1949", "year: [1949")
    folder2 = tmp_path / "second"
    shutil.copytree(folder, folder2)
    (folder2 / "copy.md").write_text(f"---\n{bad}---\n{body}")
    with pytest.raises(PackError) as caught:
        load_pack(folder2)
    line = 1 + next(i for i, text in enumerate(bad.splitlines(), start=1) if "year:" in text)
    assert any(f"line {line + 1}" in p or f"line {line}" in p for p in caught.value.problems)


def test_rubric_points_follow_the_weights() -> None:
    rubric = Rubric(
        facts_that_matter=2, other_facts=1, prediction_history=1, prediction_reference=0, rationale=0
    )
    assert rubric.points("facts_that_matter") == 50
    assert rubric.points("prediction_reference") == 0
    with pytest.raises(ValueError, match="at least one weight"):
        Rubric(facts_that_matter=0, other_facts=0, prediction_history=0, prediction_reference=0, rationale=0)


# --- submissions ---------------------------------------------------------------------------------


def test_a_submission_round_trips_through_its_file(tmp_path: Path) -> None:
    read = read_submission(ADA)
    assert read.facts["autonomy_tradition"] is None
    assert read.facts["nonstate_actors_essential"] == (True, False)
    path = tmp_path / "again.yaml"
    write_submission(read, path)
    again = read_submission(path)
    assert (
        again.facts == read.facts
        and again.prediction == read.prediction
        and again.rationale == read.rationale
    )
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically: no temporary file left


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("scenario: x\n", "missing student"),
        ("- a list\n", "(file): a submission is a mapping"),
        ("scenario: x\nstudent: A\nfacts: {}\nprediction: treaty\n", "line 4: prediction: 'treaty'"),
        (
            "scenario: x\nstudent: ''\nfacts: {}\nprediction: alliance\n",
            "line 2: student: must be a non-empty",
        ),
        (
            "scenario: x\nstudent: A\nfacts:\n  threat_level: severe\nprediction: alliance\n",
            "line 4: facts.threat_level",
        ),
        (
            "scenario: x\nstudent: A\nfacts:\n  threat_level: [high, high]\nprediction: alliance\n",
            "two or more distinct",
        ),
        (
            "scenario: x\nstudent: A\nfacts: {threat_level: high}\nprediction: alliance\n",
            "facts: missing shared_adversary",
        ),
        ("scenario: x\nstudent: A\ngrade: 100\n", "line 3: grade: unknown key"),
        ("scenario: [x\n", "invalid YAML"),
        (
            "scenario: x\nstudent: A\nfacts: {}\nprediction: alliance\nsubmitted: yesterday\n",
            "line 5: submitted:",
        ),
        ("scenario: x\nstudent: A\nfacts: {}\nprediction: null\n", "prediction: empty; use one of alliance"),
        (
            "scenario: x\nstudent: A\nfacts: {threat_level: [high, unknown]}\nprediction: alliance\n",
            "threat_level: unknown stands alone, not in a list",
        ),
    ],
)
def test_a_bad_submission_is_one_message_with_file_line_and_field(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(text)
    with pytest.raises(SubmissionError) as caught:
        read_submission(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


# --- feedback -----------------------------------------------------------------------------------


def single_changes(scenario_id: str) -> tuple[dict[str, FactValue], list[CodingDifference]]:
    """Return a scenario's reference and the difference each single-fact change makes.

    Which changes move the advice is the rule base's business: the tests below find
    them rather than name them, so that they hold whatever the rules say.
    """
    scenario = load_pack().scenario(scenario_id)
    reference, read = scenario.reference, scenario.read(scenario.reference)  # as feedback runs it
    analyst = Analyst()
    found = []
    for coding in Analyst.alternatives(read)[1:]:
        fact = next(f for f in reference if coding[f] != reference[f])
        found.append(analyst.difference(read, fact, coding[fact]))
    return reference, found


def a_scenario_that_hinges() -> str:
    """Return the first scenario of the pack whose advice some single-fact change moves."""
    return next(s for s in load_pack().scenarios if any(d.changes_advice for d in single_changes(s)[1]))


def test_the_difference_helper_names_a_rule_that_fired_in_one_run_only() -> None:
    scenario = a_scenario_that_hinges()
    reference, found = single_changes(scenario)
    reference = load_pack().scenario(scenario).read(reference)
    moving = [d for d in found if d.changes_advice]
    assert moving and any(not d.changes_advice for d in found)
    analyst = Analyst()
    for d in moving:
        assert d.before == analyst.run(reference).outcome != d.after
        assert d.rule is not None and d.title and d.passage
        before, after = analyst.run(reference), analyst.run({**reference, d.fact: d.value})
        assert (d.rule in before.rules) != (d.rule in after.rules)
    assert all(d.rule is None for d in found if not d.changes_advice)


def test_feedback_says_which_differences_change_the_advice() -> None:
    pack = load_pack()
    scenario = a_scenario_that_hinges()
    reference, found = single_changes(scenario)
    moving = next(d for d in found if d.changes_advice)
    still = next(d for d in found if not d.changes_advice and d.fact != moving.fact)
    unknown = next(f for f in FACT_NAMES if f not in (moving.fact, still.fact))
    facts: dict[str, Answer] = {
        **reference,
        moving.fact: moving.value,
        still.fact: still.value,
        unknown: None,
    }
    fb = feedback(Submission(scenario, "T", facts, "strategic", "Short."), pack)
    by_fact = {f.fact: f for f in fb.facts}
    assert by_fact[moving.fact].changes_advice and by_fact[moving.fact].matters
    assert not by_fact[still.fact].changes_advice and not by_fact[still.fact].agrees
    assert by_fact[unknown].contested and not by_fact[unknown].agrees
    assert all(by_fact[f].agrees for f in FACT_NAMES if f not in (moving.fact, still.fact, unknown))
    assert fb.reference_recommendation == moving.before
    assert (
        f"would by itself move the advice from {label(moving.before)} to {label(moving.after)}"
        in sentence(by_fact[moving.fact])
    )
    data = feedback(read_submission(ADA), pack).to_dict()
    assert {
        "scenario",
        "student",
        "score",
        "facts",
        "your_recommendation",
        "reference_recommendation",
    } <= set(data)
    assert {"prediction", "actual"} <= set(data) and 0 <= data["score"] <= 100
    for item in data["facts"]:
        assert {"fact", "yours", "reference", "agrees", "changes_advice"} <= set(item)


def test_a_perfect_submission_scores_100_and_a_blank_rationale_loses_its_part() -> None:
    pack = load_pack()
    scenario = pack.scenario("us-japan-1960")
    perfect = Submission(
        scenario=scenario.id,
        student="P",
        facts=dict(scenario.reference),
        prediction="alliance",
        rationale="A shared and named threat, and a weaker side that cannot stand alone.",
    )
    assert feedback(perfect, pack).score == 100
    silent = Submission(**{**perfect.__dict__, "rationale": ""})
    assert feedback(silent, pack).score == 100 - pack.rubric.points("rationale")


@pytest.mark.slow
def test_the_feedback_rendering_matches_its_golden_files() -> None:
    result = advisor("exercise", "feedback", ADA)
    assert result.returncode == 0, result.stderr
    check_golden(GOLDEN / "exercise" / "feedback.txt", result.stdout)
    as_json = advisor("exercise", "feedback", ADA, "--json")
    data = json.loads(as_json.stdout)
    data["file"] = ADA.name  # the path differs from checkout to checkout
    check_golden(GOLDEN / "exercise" / "feedback.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")


# --- grading a class ---------------------------------------------------------------------------------

BAD = {
    "900-malformed.yaml": "scenario: [us-japan-1960\nstudent: Mallory\n",
    "901-unknown-scenario.yaml": None,  # filled from a good submission below
    "902-old-pack.yaml": None,
    "903-bad-value.yaml": None,
    "904-empty.yaml": "",
    "905-missing-facts.yaml": "scenario: nato-1949\nstudent: Oscar\nfacts: {}\nprediction: alliance\n",
}


def test_hostile_student_names_reach_no_output_raw_and_no_cell_as_a_formula(tmp_path: Path) -> None:
    fixture = yaml.safe_load((FIXTURES / "ada-us-india-2005.yaml").read_text())
    names = ['=HYPERLINK("http://x","y")', "Eve\x07\u202eevE\x1b]52;c;aGk=\x07", "@SUM(A1)", "-2+3"]
    for i, name in enumerate(names):
        (tmp_path / f"s{i}.yaml").write_text(yaml.safe_dump({**fixture, "student": name}), encoding="utf-8")
    grades = grade([tmp_path], load_pack())
    assert len(grades.graded) == 4 and not grades.rejected
    rows = list(csv.DictReader(grades.to_csv().splitlines()))
    assert [r["student"] for r in rows] == [
        '\'=HYPERLINK("http://x","y")',
        "Eve\\x07\\u202eevE\\x1b]52;c;aGk=\\x07",
        "'@SUM(A1)",
        "'-2+3",
    ]
    assert all(r["score"] == str(fb.score) for r, fb in zip(rows, grades.graded, strict=True))  # numbers
    shown = "\\x1b]52"
    for text, visible in (
        (grades.to_csv(), shown),
        (markdown(grades), md_text(shown)),
        (html(grades), shown),
    ):
        assert not any(c in text for c in "\x1b\x07\u202e"), text
        assert visible in text


def write_synthetic_class(folder: Path) -> list[Path]:
    """Write 36 good submissions and 7 bad ones (including a duplicate); return the good ones' paths."""
    pack = load_pack()
    class_ = synthetic_class(pack, 36, seed=7)
    good = write_class(folder, class_)
    sample = dict(class_[0])
    bad = dict(BAD)
    bad["901-unknown-scenario.yaml"] = yaml.safe_dump({**sample, "student": "Uma", "scenario": "mars-2099"})
    bad["902-old-pack.yaml"] = yaml.safe_dump({**sample, "student": "Olga", "pack_version": "2025.1"})
    facts = {**sample["facts"], "threat_level": "apocalyptic"}
    bad["903-bad-value.yaml"] = yaml.safe_dump({**sample, "student": "Vic", "facts": facts})
    bad["906-duplicate.yaml"] = good[0].read_text()
    for name, text in bad.items():
        (folder / name).write_text(text or "")
    return good


@pytest.mark.slow
def test_a_class_of_36_with_7_bad_submissions_is_graded_and_its_csv_reads_back(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    good = write_synthetic_class(folder)
    result = advisor(
        "exercise", "grade", "class", "--csv", "grades.csv", "--report", "report.html", cwd=tmp_path
    )
    assert result.returncode == 2
    *errors, closing = result.stderr.splitlines()
    assert len(errors) == 7 and all(line.startswith("advisor: class/9") for line in errors)
    assert closing == "advisor: 7 of 43 submissions were rejected, the others graded (exit status 2)"
    assert any("duplicate: Student 001 already submitted" in line for line in errors)
    assert any("version 2025.1" in line for line in errors)
    assert any("'mars-2099' is not a scenario" in line for line in errors)
    with open(tmp_path / "grades.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
        rows = list(reader)
    assert len(rows) == len(good) == 36
    assert [r["student"] for r in rows] == [f"Student {i:03d}" for i in range(1, 37)]
    assert all(0 <= float(r["score"]) <= 100 for r in rows)
    for row in rows:
        parts = sum(float(row[p]) for p in ("facts_that_matter", "other_facts", "prediction_history"))
        parts += float(row["prediction_reference"]) + float(row["rationale"])
        assert abs(parts - float(row["score"])) < 0.3
    page = (tmp_path / "report.html").read_text()
    assert page.count("<svg") == 2 and "<script" not in page and "src=" not in page and "http" not in page


@pytest.mark.slow
def test_grade_json_holds_the_rows_the_spread_and_the_errors(tmp_path: Path) -> None:
    write_synthetic_class(tmp_path / "class")
    result = advisor("exercise", "grade", "class", "--json", cwd=tmp_path)
    assert result.returncode == 2
    data = json.loads(result.stdout)
    assert data["summary"] == {**data["summary"], "graded": 36, "rejected": 7}
    spread = data["spread"]
    shares = [1 - s["agree"] / s["total"] for s in spread]
    assert shares == sorted(shares, reverse=True)  # the most contested first
    assert all(set(p["counts"]) == set(OUTCOME_IDS) for p in data["predictions"])


@pytest.mark.slow
def test_the_class_report_matches_its_golden_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_synthetic_class(tmp_path / "class")
    monkeypatch.chdir(tmp_path)
    grades = grade([Path("class")], load_pack())
    check_golden(GOLDEN / "exercise" / "class-report.md", markdown(grades))
    check_golden(GOLDEN / "exercise" / "class-report.html", html(grades))


@pytest.mark.slow  # a whole process; the default run keeps faster tests of the same area
def test_a_good_class_exits_0(tmp_path: Path) -> None:
    write_class(tmp_path / "class", synthetic_class(load_pack(), 3, seed=1))
    result = advisor("exercise", "grade", "class", "--report", "r.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "3 graded, 0 rejected" in result.stdout
    assert (tmp_path / "r.md").read_text().startswith("# Class report")


# --- the students' copy ------------------------------------------------------------------------


@pytest.mark.slow
def test_export_for_students_leaves_out_every_answer(tmp_path: Path) -> None:
    result = advisor("exercise", "export", PACK_DIR, tmp_path / "students", "--for-students")
    assert result.returncode == 0, result.stderr
    pack = load_pack()
    text = "\n".join(p.read_text() for p in sorted((tmp_path / "students").iterdir()))
    for word in ("reference", "actual", "debrief", "why", "case", "questions"):
        assert f"\n{word}:" not in text and f" {word}:" not in text
    for scenario in pack.scenarios.values():
        assert (scenario.debrief or "")[:60] not in text
        assert scenario.why["threat_level"] not in text
    copy = load_pack(tmp_path / "students")
    assert copy.for_students and list(copy.scenarios) == list(pack.scenarios)
    assert all(not s.reference and s.actual is None for s in copy.scenarios.values())
    refused = advisor("exercise", "feedback", ADA, "--pack", tmp_path / "students")
    assert refused.returncode == 2 and "students' copy" in refused.stderr


@pytest.mark.slow  # a whole process; the default run keeps faster tests of the same area
def test_export_refuses_without_for_students_or_into_a_full_folder(tmp_path: Path) -> None:
    assert advisor("exercise", "export", PACK_DIR, tmp_path / "x").returncode == 2
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    result = advisor("exercise", "export", PACK_DIR, tmp_path / "full", "--for-students")
    assert result.returncode == 2 and "is not empty" in result.stderr


def test_a_students_copy_may_not_hold_answers(tmp_path: Path) -> None:
    export_for_students(load_pack(), tmp_path / "s")
    shutil.copy(PACK_DIR / "nato-1949.yaml", tmp_path / "s" / "nato-1949.yaml")
    with pytest.raises(PackError, match="a students' copy of a pack must not hold it"):
        load_pack(tmp_path / "s")


@pytest.mark.slow
def test_start_without_a_terminal_says_so(tmp_path: Path) -> None:
    result = advisor("exercise", "start", "nato-1949", "--student", "A", cwd=tmp_path)
    assert result.returncode == 2 and "needs an interactive terminal" in result.stderr


@pytest.mark.slow
def test_feedback_on_an_unknown_scenario_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(ADA.read_text().replace("us-india-2005", "nowhere-1900"))
    result = advisor("exercise", "feedback", path)
    assert result.returncode == 2
    assert (
        result.stderr == f"advisor: {path}: scenario: 'nowhere-1900' is not a scenario of the pack course "
        "('advisor exercise list' shows them)\n"
    )


def test_a_scenario_of_several_states_is_advised_as_a_group_as_its_case_file_is() -> None:
    """The exercise ran every coding as a pair, so AUKUS and the coalition against ISIS came out as
    alliances there while `advisor advise` on the same case said coalition; grouping is now read off
    the scenario's parties for the reference and for the student's coding alike."""
    from advisor.cases import Case
    from advisor.engine import advise

    pack = load_pack()
    groups = []
    for scenario_id in pack.scenarios:
        scenario = pack.scenario(scenario_id)
        perfect = Submission(
            scenario=scenario.id,
            student="P",
            facts=dict(scenario.reference),
            prediction=scenario.actual or "alliance",
            rationale="The reference coding itself.",
        )
        graded = feedback(perfect, pack)
        case = {"id": scenario.id, "parties": list(scenario.parties), "facts": dict(scenario.reference)}
        as_a_case = advise(Case.model_validate(case))  # grouping read off the parties, as in a case file
        assert graded.reference_recommendation == graded.your_recommendation == as_a_case.outcome, scenario_id
        if len(scenario.parties) >= 3:
            groups.append((scenario_id, graded.reference_recommendation))
    assert ("aukus-2021", "coalition") in groups and ("isis-2014", "coalition") in groups


def test_the_aukus_debrief_says_what_its_reading_turns_on() -> None:
    """Its debrief: coded as a programme (the reference), a coalition; as a standing pact, an alliance."""
    from advisor.engine import advise

    scenario = load_pack().scenario("aukus-2021")
    assert scenario.reference["standing_commitment"] is False
    as_programme = advise(scenario.read(scenario.reference)).outcome
    as_pact = advise(scenario.read({**scenario.reference, "standing_commitment": True})).outcome
    assert (as_programme, as_pact) == ("coalition", "alliance")
    debrief = " ".join((scenario.debrief or "").split())
    assert "AUKUS is advised as a coalition" in debrief
    assert "the same facts are advised as an alliance" in debrief


def test_a_brief_may_not_name_the_optional_fact(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(PACK_DIR, pack)
    brief = pack / "nato-1949.yaml"
    text = brief.read_text().replace("**Your task:**", "Code standing_commitment. **Your task:**", 1)
    brief.write_text(text)
    with pytest.raises(PackError, match="names the fact standing_commitment"):
        load_pack(pack)


@pytest.mark.parametrize(
    "answers",
    [
        {"threat_level": None},  # unknown: every value of the scale
        {"threat_level": ("moderate", "high"), "shared_adversary": None},
        {"entrapment_risk": ("low", "high"), "value_alignment": ("low", "medium")},
    ],
)
def test_a_students_unknown_or_several_values_are_read_as_advise_reads_a_case_file(
    answers: dict[str, Answer],
) -> None:
    """The student's own recommendation is what `advisor advise` gives for their coding as a case
    file: unknown over every value, several values over each (not worked out without them)."""
    from advisor.cases import Case
    from advisor.engine import advise
    from advisor.exercise.submission import show_answer

    pack = load_pack()
    scenario = pack.scenario("us-japan-1960")
    facts: dict[str, Answer] = {**scenario.reference, **answers}
    fb = feedback(Submission(scenario.id, "T", facts, "alliance", "Short."), pack)
    written = {name: show_answer(value, raw=True) for name, value in facts.items()}
    case = Case.model_validate({"parties": list(scenario.parties), "facts": written})
    assert fb.your_recommendation == advise(case).outcome


def test_grading_a_folder_without_submissions_fails_in_one_line(tmp_path: Path) -> None:
    """A mistyped or empty folder is not a class of nobody: `grade` says so, and exits 2."""
    from running import in_process

    (tmp_path / "notes.txt").write_text("not a submission")
    result = in_process("exercise", "grade", tmp_path)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"advisor: no submission files (*.yaml, *.yml, *.json) in {tmp_path}"


def test_an_unquoted_pack_version_is_refused_in_one_line_saying_to_quote_it(tmp_path: Path) -> None:
    copy = tmp_path / "pack"
    shutil.copytree(ROOT / "exercises" / "course", copy)
    text = (copy / "pack.yaml").read_text()
    (copy / "pack.yaml").write_text(text.replace('version: "2026.3"', "version: 2026.3"))
    with pytest.raises(PackError) as raised:
        load_pack(copy)
    assert 'pack.yaml: line 7: version: write the version in quotes, "2026.3"' in str(raised.value)
    assert "version.int" not in str(raised.value) and "version.str" not in str(raised.value)


@pytest.mark.parametrize(
    ("argv", "status", "said"),
    [
        (["-h"], 0, "usage: python -m advisor.exercise.synthetic DIR [SIZE] [SCENARIO]"),
        (["DIR", "five"], 2, "SIZE must be a whole number above 0, not 'five'"),
        (["DIR", "5", "nosuch"], 2, "no scenario 'nosuch'; the pack has nato-1949"),
    ],
)
def test_the_synthetic_class_tool_checks_its_arguments(
    argv: list[str], status: int, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from advisor.exercise.synthetic import main

    args = [str(tmp_path / "c") if a == "DIR" else a for a in argv]
    assert main(args) == status
    out = capsys.readouterr()
    assert said in out.out + out.err
    assert not (tmp_path / "c").exists() and not Path("-h").exists()


def test_a_pack_s_title_and_version_are_shown_as_written_never_as_markup(tmp_path: Path) -> None:
    """A title or version from the pack is text wherever it is shown: never rich markup in a table's
    title, never Markdown in the class report or a brief's heading; its controls escaped visibly."""
    from rich.console import Console

    from advisor.render.exercise import brief

    from running import in_process

    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "exercises" / "course", pack)
    data = yaml.safe_load((pack / "pack.yaml").read_text())
    data.update(title="[u]Course[/u] *one*\x1b[2J", version="[b]v2[/b]*x*")
    (pack / "pack.yaml").write_text(yaml.safe_dump(data))
    scenario = yaml.safe_load((pack / "us-india-2005.yaml").read_text())
    scenario.update(title="*New* [b]Delhi[/b]\x1b[2J", sources=["Smith, *Ties* [i]2005[/i]"])
    (pack / "us-india-2005.yaml").write_text(yaml.safe_dump(scenario))
    class_ = tmp_path / "class"
    class_.mkdir()
    submission = yaml.safe_load(ADA.read_text())
    submission.update(pack_version="[b]v2[/b]*x*", submitted=str(submission["submitted"]))
    (class_ / "ada.yaml").write_text(yaml.safe_dump(submission))

    listed = in_process("exercise", "list", "--pack", pack, columns=200)
    assert listed.exit_code == 0, listed.stderr
    assert "[u]Course[/u] *one*\\x1b[2J (pack course, version [b]v2[/b]*x*)" in listed.stdout
    graded = in_process("exercise", "grade", class_, "--pack", pack, columns=200)
    assert graded.exit_code == 0, graded.stderr
    assert "Scores (course, version [b]v2[/b]*x*, us-india-2005)" in graded.stdout

    report = markdown(grade([class_], load_pack(pack)))
    assert "version \\[b\\]v2\\[/b\\]\\*x\\*." in report
    out = io.StringIO()
    Console(file=out, width=200, color_system=None).print(brief(load_pack(pack).scenario("us-india-2005")))
    shown = out.getvalue()
    assert "*New* [b]Delhi[/b]\\x1b[2J" in shown and "Smith, *Ties* [i]2005[/i]" in shown
    assert "\x1b" not in listed.stdout + graded.stdout + report + shown
