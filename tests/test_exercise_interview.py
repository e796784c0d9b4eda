"""The student interview, scripted: which facts it asks for a group and a pair, and what it writes.

A group scenario is asked ``standing_commitment`` with the question, menu and help of
``advisor ask``; a pair scenario never is, and nothing it writes or is graded on names it.
Drafts keep every kind of answer (a value, unknown, several values) and the optional fact.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from rich.console import Console

from advisor.ask.prompts import SEVERAL, Entries, Option
from advisor.ask.questions import HELP, UNKNOWN, options, scale_help
from advisor.ask.session import Session
from advisor.exercise.feedback import feedback
from advisor.exercise.model import Pack, Scenario
from advisor.exercise.pack import load_pack
from advisor.exercise.session import Exercise, draft_path, read_draft, run, save_draft
from advisor.exercise.submission import read_submission
from advisor.facts import FACT_NAMES, FactValue, fact_label, scales

WIDTH = 100
QUESTION_OF = {" ".join(s.question.split()): name for name, s in scales().items()}


@dataclass
class Student:
    """A scripted student: answers each question from ``answers`` (the reference by default)."""

    answers: dict[str, str]
    prediction: str
    help_on: str | None = None  # ask ?help once on this fact's question
    asked: list[str] = field(default_factory=list)  # the facts asked, in order
    menus: dict[str, Entries] = field(default_factory=dict)  # each fact's menu, as shown

    def select(self, message: str, entries: Entries, default: str | None = None, hint: str = "") -> str:
        fact = QUESTION_OF.get(" ".join(message.split()))
        if fact is None:  # the summary's check, then the prediction
            if message.startswith("Are these answers right"):
                self.menus["(check)"] = entries
                return "go"
            return self.prediction
        if fact == self.help_on and fact not in self.asked:
            self.asked.append(fact)
            return HELP
        if fact not in self.asked:
            self.asked.append(fact)
        self.menus[fact] = entries
        return self.answers[fact]

    def text(self, message: str, default: str = "") -> str:
        return "The members bind themselves, or not, and the threat is what it is."


def shown(fact: str, value: FactValue) -> str:
    return scales()[fact].show(value)


def exercise(scenario: Scenario, student: Student, out: Path) -> tuple[int, str]:
    console = Console(file=io.StringIO(), width=WIDTH, force_terminal=False)
    session = Session(parties=list(scenario.parties))
    status = run(
        Exercise(scenario, "Ada", session), load_pack(), out, prompter=student, console=console, page=False
    )
    return status, console.file.getvalue()  # type: ignore[attr-defined]


def reference_student(scenario: Scenario, **changes: str) -> Student:
    answers = {f: shown(f, v) for f, v in scenario.reference.items()}
    return Student({**answers, **changes}, prediction=scenario.actual or "alliance")


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack()


@pytest.mark.parametrize("scenario_id", ["aukus-2021", "nato-1949"])
def test_a_group_scenario_asks_standing_commitment_as_advisor_ask_does(
    pack: Pack, scenario_id: str, tmp_path: Path
) -> None:
    scenario = pack.scenario(scenario_id)
    student = reference_student(scenario)
    student.help_on = "standing_commitment"
    status, screen = exercise(scenario, student, tmp_path / "out.yaml")
    assert status == 0
    assert sorted(student.asked) == sorted([*FACT_NAMES, "standing_commitment", "standing_forum"])
    # the question, the menu and the help are advisor ask's, read off the Facts model
    assert student.menus["standing_commitment"] == options("standing_commitment", WIDTH)
    menu = [e for e in student.menus["standing_commitment"] if isinstance(e, Option)]
    assert [e.title.split()[0] for e in menu[:2]] == ["no", "yes"]
    meanings = scales()["standing_commitment"].meanings
    assert meanings["true"] in " ".join(menu[1].title.split())
    with_help = Console(file=io.StringIO(), width=WIDTH)
    with_help.print(scale_help("standing_commitment"))
    assert with_help.file.getvalue() in screen  # type: ignore[attr-defined]
    submission = read_submission(tmp_path / "out.yaml")
    assert submission.facts["standing_commitment"] is scenario.reference["standing_commitment"]
    graded = feedback(submission, pack)
    assert "standing_commitment" in [f.fact for f in graded.facts] and graded.facts[-1].agrees
    assert graded.score == 100


def test_a_pair_scenario_never_asks_it_and_its_grading_never_mentions_it(pack: Pack, tmp_path: Path) -> None:
    from advisor.exercise.grade import grade
    from advisor.render.class_report import html, markdown
    from advisor.render.exercise import grades_view

    for scenario in (s for s in pack.scenarios.values() if len(s.parties) == 2):
        student = reference_student(scenario, threat_level=UNKNOWN)
        out = tmp_path / f"{scenario.id}.yaml"
        status, screen = exercise(scenario, student, out)
        assert status == 0 and sorted(student.asked) == sorted(FACT_NAMES), scenario.id
        assert "standing_commitment" not in out.read_text() and "standing_commitment" not in screen
        assert fact_label("standing_commitment") not in screen and "open-ended obligations" not in screen
        graded = feedback(read_submission(out), pack)
        assert [f.fact for f in graded.facts] == list(FACT_NAMES)
        assert "standing_commitment" not in str(graded.to_dict())
    grades = grade([tmp_path], pack)
    assert len(grades.graded) == 10 and not grades.rejected
    terminal = Console(file=io.StringIO(), width=WIDTH)
    terminal.print(grades_view(grades))
    as_json = json.dumps(grades.to_dict())
    for text in (markdown(grades), html(grades), grades.to_csv(), as_json, terminal.file.getvalue()):  # type: ignore[attr-defined]
        assert "standing_commitment" not in text


def test_an_unknown_or_contested_answer_is_written_as_given(pack: Pack, tmp_path: Path) -> None:
    scenario = pack.scenario("cepi-2017")
    student = reference_student(scenario, standing_commitment=UNKNOWN, threat_level=f"moderate{SEVERAL}high")
    status, _ = exercise(scenario, student, tmp_path / "out.yaml")
    assert status == 0
    written = yaml.safe_load((tmp_path / "out.yaml").read_text())["facts"]
    assert written["standing_commitment"] == "unknown" and written["threat_level"] == ["moderate", "high"]
    graded = {f.fact: f for f in feedback(read_submission(tmp_path / "out.yaml"), pack).facts}
    assert graded["standing_commitment"].contested and not graded["standing_commitment"].agrees


def test_a_draft_keeps_every_kind_of_answer_and_the_optional_fact(pack: Pack, tmp_path: Path) -> None:
    scenario = pack.scenario("isis-2014")
    session = Session(parties=list(scenario.parties))
    session.answer("issue_scope", "security")
    session.answer("standing_commitment", True)
    session.answer("threat_level", ("high", "existential"))
    session.answer("rival_ties", None)
    out = tmp_path / "isis--ada.yaml"
    assert save_draft(Exercise(scenario, "Ada", session), out, Console(file=io.StringIO())) == 130
    again, path = read_draft(draft_path(out), scenario)
    assert path == out
    assert again.session.answers == {"issue_scope": "security", "standing_commitment": True}
    assert again.session.contested == {"threat_level": ("high", "existential")}
    assert again.session.unknown == ["rival_ties"]
    assert again.session.history == ["issue_scope", "standing_commitment", "threat_level", "rival_ties"]


def test_a_draft_for_a_pair_may_not_hold_the_group_fact(pack: Pack, tmp_path: Path) -> None:
    from advisor.exercise.session import DraftError

    scenario = pack.scenario("us-japan-1960")
    draft = tmp_path / "d.yaml"
    data = {"format": "advisor-exercise-draft/1", "scenario": scenario.id, "student": "Ada"}
    draft.write_text(yaml.safe_dump({**data, "answers": {"standing_commitment": True}}))
    with pytest.raises(DraftError, match="standing_commitment: unknown fact"):
        read_draft(draft, scenario)
    draft.write_text(yaml.safe_dump({**data, "answers": {"threat_level": "apocalyptic"}}))
    with pytest.raises(DraftError, match="threat_level"):
        read_draft(draft, scenario)


def test_the_check_of_the_answers_leads_to_the_prediction_not_to_a_recommendation(
    pack: Pack, tmp_path: Path
) -> None:
    """The student is shown no recommendation before predicting: the check does not promise one."""
    scenario = pack.scenario("us-japan-1960")
    student = Student({k: shown(k, v) for k, v in scenario.reference.items()}, "alliance")
    exercise(scenario, student, tmp_path / "s.yaml")
    labels = [o.title for o in student.menus["(check)"] if o is not None]
    assert "yes: go on to your prediction" in labels and not any("recommendation" in t for t in labels)
