"""QA22's findings in the guided session (``advisor ask``, ``advisor exercise start``), each reproduced
against the function the terminal calls; the pseudo-terminal tests are marked slow."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from advisor.ask import prompts
from advisor.ask.parties import ask_parties
from advisor.ask.prompts import TerminalPrompter
from advisor.ask.questions import BACK, options
from advisor.ask.session import Session
from advisor.exercise.session import ask_prediction
from advisor.outcomes import OUTCOMES

from running import ENTER, Terminal


def typed_lines(monkeypatch: pytest.MonkeyPatch, *lines: str) -> list[str]:
    """Make the choice line read ``lines`` in turn, each as typed after what was put on the line;
    return the list of what was put on it at each prompt."""
    put: list[str] = []
    feed: Iterator[str] = iter(lines)

    def read(options: object, keep: str, again: str = "") -> str:
        put.append(again)
        return again + next(feed)

    monkeypatch.setattr(prompts, "_read_choice", read)
    return put


def prompter() -> tuple[TerminalPrompter, io.StringIO]:
    out = io.StringIO()
    return TerminalPrompter(Console(file=out, width=80, color_system=None)), out


def test_a_command_typed_after_several_answers_kept_to_mend_is_the_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    put = typed_lines(monkeypatch, "high, 9", "?back")
    p, out = prompter()
    assert p.select("threat?", options("threat_level", 80)) == BACK
    assert put == ["", "high, 9"]
    assert "kept on the line to mend (Ctrl-U clears it)" in " ".join(out.getvalue().split())


def test_several_answers_none_of_them_understood_are_not_kept_on_the_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the values of another question: nothing to mend, the line starts empty
    put = typed_lines(monkeypatch, "alliance, multi_sector", "2")
    p, out = prompter()
    assert p.select("threat?", options("threat_level", 80)) == "low"
    assert put == ["", ""]
    assert "to mend" not in out.getvalue()


def test_a_line_kept_to_mend_is_kept_once_not_again_and_again(monkeypatch: pytest.MonkeyPatch) -> None:
    put = typed_lines(monkeypatch, "high, 9", "2", "high")
    p, _ = prompter()
    assert p.select("threat?", options("threat_level", 80)) == "high"
    assert put == ["", "high, 9", ""]  # "high, 92" was not understood either: the line starts empty


def test_back_typed_after_the_name_put_on_the_line_goes_back_and_is_no_name() -> None:
    session = Session()
    session.suggested_parties = ["United States", "Japan"]
    typed = iter(["United States", "Japan?back", "United States", "Japan", ""])
    said: list[str] = []
    ask_parties(session, lambda message, default: default + next(typed)[len(default) :], said.append)
    assert session.parties == ["United States", "Japan"]


def test_back_typed_after_an_edited_name_goes_back_and_is_no_name() -> None:
    # "Japan" put on the line, edited to "Jap", then ?back typed: the command, not the name "Jap?back"
    session = Session()
    session.suggested_parties = ["United States", "Japan"]
    typed = iter(["United States", "Jap?back", "Canada", "Mexico", "", ""])
    ask_parties(session, lambda message, default: next(typed), lambda message: None)
    assert session.parties == ["Canada", "Mexico"]
    said: list[str] = []
    session.suggested_parties = []
    typed = iter(["What?", "Korea", ""])
    ask_parties(session, lambda message, default: next(typed), said.append)
    assert session.parties == ["What?", "Korea"]  # a question mark alone at the end is part of a name


def test_a_name_that_only_starts_like_the_one_put_on_the_line_is_kept_whole() -> None:
    session = Session()
    session.suggested_parties = ["Japan"]
    typed = iter(["Japan Self-Defense Forces", "Korea", ""])
    ask_parties(session, lambda message, default: next(typed), lambda message: None)
    assert session.parties == ["Japan Self-Defense Forces", "Korea"]


@pytest.mark.parametrize("width", [40, 60, 80, 100])
def test_the_outcomes_to_predict_are_readable_in_a_narrow_terminal(width: int) -> None:
    class Picks:
        def select(self, message: str, options: object, default: str | None = None, hint: str = "") -> str:
            return "alliance"

    out = io.StringIO()
    ask_prediction(Picks(), Console(file=out, width=width, color_system=None), None)  # type: ignore[arg-type]
    shown = " ".join(out.getvalue().split())
    assert "…" not in shown
    for outcome in OUTCOMES.values():
        assert outcome.summary in shown


@pytest.mark.slow
def test_a_student_can_type_back_after_what_is_put_on_the_line(
    tmp_path: Path,
) -> None:
    t = Terminal(tmp_path, "ask", columns=60)
    t.line("First party's name", "France")
    t.line("Second party's name", "Germany")
    t.line("Party 3", "?back")  # back to the second name, "Germany" put on the line: ?back after it
    t.line("Second party's name", "?back")
    t.line("First party's name", "")  # "France" kept
    t.line("Second party's name", "Italy")
    t.line("Party 3", "")
    t.key("1, 9" + ENTER)  # issue scope: security, and no answer 9
    t.wait(r"kept\s+on\s+the\s+line\s+to\s+mend")
    t.key("?back" + ENTER)  # after "1, 9": the command, not part of an answer
    t.wait("First party's name")
    t.child.sendcontrol("c")
    assert t.finish() == 130
    assert "9?back' is not" not in t.screen
    resume = (tmp_path / "consultation.advisor-resume.yaml").read_text(encoding="utf-8")
    assert "?back" not in resume and "France" in resume and "Italy" in resume


def test_the_rationale_typed_when_the_student_leaves_is_kept_in_the_draft_and_offered_again(
    tmp_path: Path,
) -> None:
    from test_exercise_interview import reference_student

    from advisor.exercise.pack import load_pack
    from advisor.exercise.session import Exercise, draft_path, read_draft, run

    pack = load_pack()
    scenario = pack.scenario("us-india-2005")
    typed = "Because [bold]both[/] hedge \u05e2\u05d1\u05e8\u05d9\u05ea \U0001f1eb\U0001f1f7"

    class Leaves(type(reference_student(scenario))):  # type: ignore[misc]
        def text(self, message: str, default: str = "") -> str:
            self.offered = default
            left = KeyboardInterrupt()
            left.typed = typed  # type: ignore[attr-defined]  (what read_line records)
            raise left

    student = Leaves(reference_student(scenario).answers, prediction="strategic")
    out = tmp_path / "ada.yaml"
    session = Session(parties=list(scenario.parties))
    console = Console(file=io.StringIO())
    status = run(Exercise(scenario, "Ada", session), pack, out, prompter=student, console=console, page=False)
    assert status == 130
    again, _ = read_draft(draft_path(out), scenario)
    assert again.prediction == "strategic" and again.rationale == typed
    resumed = Leaves(student.answers, prediction="strategic")
    assert run(again, pack, out, prompter=resumed, console=console, page=False) == 130
    assert resumed.offered == typed  # put back on the line


def test_saving_unasked_facts_as_unknown_says_what_advise_will_explain_on_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml
    from test_ask import GROUP, QUIT, SUMMARY, Script, Until, menu_value

    from advisor.ask.flow import Consultation
    from advisor.cases import Case
    from advisor.engine import advise, get_engine

    monkeypatch.chdir(tmp_path)
    facts = {"issue_scope": "security", "nonstate_actors_essential": False, "standing_commitment": False}
    facts |= {"threat_level": "none", "shared_adversary": "none", "existing_ties": "none"}
    script = Script([*GROUP, Until(SUMMARY, facts), "go", menu_value("Save"), None, "unknown", QUIT])
    out = io.StringIO()
    console = Console(file=out, width=100, no_color=True, highlight=False, force_terminal=False)
    assert Consultation(Session(), get_engine(), script, console).run() == 0
    screen = " ".join(out.getvalue().split())
    saved = next(tmp_path.glob("*.yaml"))
    filed = advise(Case.model_validate(yaml.safe_load(saved.read_text(encoding="utf-8"))))
    shown = screen.split("Strongest reason: ")[1].split()[0]
    assert filed.deciding_rule != shown  # the case this consultation makes: advise explains another rule
    assert f"strongest reason {filed.deciding_rule}), where this consultation" in screen
    assert f"showed {filed.label} (belief" in screen and f"strongest reason {shown})." in screen


def test_a_rule_title_cut_to_fit_a_narrow_terminal_is_marked_as_cut() -> None:
    from types import SimpleNamespace

    from advisor.ask.menu import explain_rule
    from advisor.ask.prompts import Option
    from advisor.engine import advise, get_engine

    from running import US_JAPAN

    offered: list[Option] = []

    class Picks:
        def select(
            self, message: str, options: list[Option | None], default: str | None = None, hint: str = ""
        ) -> str:
            offered.extend(o for o in options if o is not None and not o.is_command)
            return BACK

    kb = get_engine().kb
    c = SimpleNamespace(console=Console(width=40), kb=kb, prompter=Picks(), show=print)
    explain_rule(c, advise(US_JAPAN))  # type: ignore[arg-type]
    assert offered
    for option in offered:
        whole = f"{option.value}  {kb.rule(option.value).title}"
        assert option.title == whole or (option.title.endswith("…") and whole.startswith(option.title[:-1]))
        assert len(option.title) <= 34
    assert any(o.title.endswith("…") for o in offered)


@pytest.mark.parametrize("typed", ["?back", "united-states-japan.yaml?back", "", "?"])
def test_back_at_the_file_name_saves_nothing_and_says_so(
    typed: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_ask import NAMES, QUIT, SUMMARY, Script, Until, menu_value

    from advisor.ask.flow import Consultation
    from advisor.engine import get_engine

    from running import US_JAPAN

    monkeypatch.chdir(tmp_path)
    script = Script([*NAMES, Until(SUMMARY, US_JAPAN), "go", menu_value("Save"), typed, QUIT])
    out = io.StringIO()
    console = Console(file=out, width=100, no_color=True, highlight=False, force_terminal=False)
    assert Consultation(Session(), get_engine(), script, console).run() == 0
    assert list(tmp_path.iterdir()) == []  # no file named "?back", and no resume file
    assert "Not saved." in out.getvalue()


@pytest.mark.parametrize("typed", ["high,", ", high", "high or", "high,,existential"])
def test_a_missing_answer_among_several_is_named_as_missing_not_as_nothing_typed(typed: str) -> None:
    from advisor.ask.prompts import NotAChoice, pick

    with pytest.raises(NotAChoice) as refused:
        pick(typed, options("threat_level", 80))
    assert "Nothing typed" not in str(refused.value)
    assert "an answer is missing before or after a comma or 'or'" in str(refused.value)


def test_back_at_the_prediction_shows_the_answers_again_before_predicting(tmp_path: Path) -> None:
    from test_exercise_interview import reference_student

    from advisor.exercise.pack import load_pack
    from advisor.exercise.session import Exercise, run
    from advisor.exercise.submission import read_submission

    pack = load_pack()
    scenario = pack.scenario("us-india-2005")
    base = reference_student(scenario)
    seen: list[str] = []
    offered: list[str | None] = []

    class Student(type(base)):  # type: ignore[misc]
        def select(self, message: str, entries: object, default: str | None = None, hint: str = "") -> str:
            if message.startswith(("Are these answers right", "What tie do you predict")):
                seen.append(message.split()[0])
                offered.extend(getattr(e, "key", None) for e in entries)  # type: ignore[attr-defined]
                if seen == ["Are", "What"]:
                    return BACK  # back from the prediction, to look at the answers again
            return str(super().select(message, entries, default, hint))

    student = Student(base.answers, prediction="strategic")
    out = tmp_path / "ada.yaml"
    console = Console(file=io.StringIO(), width=100)
    session = Session(parties=list(scenario.parties))
    assert (
        run(Exercise(scenario, "Ada", session), pack, out, prompter=student, console=console, page=False) == 0
    )
    assert seen == ["Are", "What", "Are", "What"]
    assert read_submission(out).prediction == "strategic"
    assert "?back" in offered
