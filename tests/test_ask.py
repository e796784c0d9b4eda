"""The guided consultation: its question flow (scripted), its files, and the real program in a terminal."""

from __future__ import annotations

import fnmatch
import io
import itertools
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.console import Console

from advisor.ask.casefile import case_data
from advisor.ask.flow import Consultation
from advisor.ask.menu import RESULT_MENU, MenuEntry, Next
from advisor.ask.prompts import SEVERAL, Entries, NotAChoice, Option, default_text, pick
from advisor.ask.questions import BACK, HELP, ORDER, UNKNOWN, WHY, options, said
from advisor.ask.resume import (
    RESUME_NAME,
    SessionFileError,
    mention_waiting,
    read_resume,
    resume_path_for,
    save_resume,
    unused_resume_path,
)
from advisor.ask.session import Session
from advisor.cases import Case, load_file
from advisor.engine import Engine, Recommendation, advise, get_engine, over_facts
from advisor.explain import explanation, why_not
from advisor.facts import FACT_NAMES, OPTIONAL_DEFAULTS, OPTIONAL_FACTS, FactValue, fact_label, scales, show
from advisor.outcomes import OUTCOME_IDS
from advisor.outcomes import label as outcome_label
from advisor.output import write_atomically

from running import ENTER, US_JAPAN, Terminal, terminal_env

ROOT = Path(__file__).resolve().parent.parent
QUESTION_OF = {" ".join(s.question.split()): name for name, s in scales().items()}
# for a group: the coalition's questions, standing_commitment (optional, for a grouping) among them
COALITION = {"issue_scope": "transnational", "nonstate_actors_essential": True, "standing_commitment": False}
NOT_ASKED = [f for f in ORDER if f not in COALITION and f not in OPTIONAL_FACTS]  # none could change it


# --- a scripted terminal ---------------------------------------------------------------------


@dataclass
class Until:
    """A script step: answer fact questions from ``facts`` until a prompt starts with ``prefix``."""

    prefix: str
    facts: Mapping[str, FactValue]


Step = str | None | BaseException | Until  # a value to pick or type, None for Enter, or an exception


@dataclass
class Prompt:
    """One prompt the consultation showed."""

    kind: str
    message: str
    values: list[str]
    default: str | None

    @property
    def fact(self) -> str | None:
        """Return the fact this prompt asks, if it is a question."""
        return QUESTION_OF.get(self.message)


@dataclass
class Script:
    """A Prompter that plays a script and records every prompt."""

    steps: list[Step]
    prompts: list[Prompt] = field(default_factory=list)

    def select(self, message: str, options: Entries, default: str | None = None, hint: str = "") -> str:
        """Return the next scripted choice, checking that it was offered."""
        values = [o.value for o in options if o is not None]
        prompt = Prompt("select", " ".join(message.split()), values, default)
        self.prompts.append(prompt)
        step = self._next(prompt)
        assert step is not None or default is not None, f"Enter on an empty line at {prompt.message!r}"
        picked = default if step is None else step if step in values else pick(step, options)
        offered = all(part in values for part in picked.split(SEVERAL))  # several values picked together
        assert offered, f"{picked!r} not offered at {prompt.message!r}: {values}"
        return picked

    def text(self, message: str, default: str = "") -> str:
        """Return the next scripted line (None keeps the default)."""
        prompt = Prompt("text", message, [], default)
        self.prompts.append(prompt)
        step = self._next(prompt)
        return default if step is None else step

    def _next(self, prompt: Prompt) -> str | None:
        while self.steps:
            step = self.steps[0]
            if isinstance(step, Until):
                if prompt.message.startswith(step.prefix):
                    self.steps.pop(0)
                    continue
                assert prompt.fact is not None, f"unexpected prompt {prompt.message!r}"
                value = step.facts.get(prompt.fact, OPTIONAL_DEFAULTS.get(prompt.fact))  # optional: default
                return scales()[prompt.fact].show(step.facts[prompt.fact] if value is None else value)
            self.steps.pop(0)
            if isinstance(step, BaseException):
                raise step
            return step
        raise AssertionError(f"the script ran out at {prompt.message!r}")

    def asked(self) -> list[str]:
        """Return the facts asked, in order (with repeats)."""
        return [p.fact for p in self.prompts if p.fact is not None]


@dataclass
class Outcome:
    """What a scripted consultation left behind."""

    status: int
    screen: str
    script: Script
    session: Session


NAMES: list[Step] = ["United States", "Japan", ""]
# Three parties make a group: with a transnational problem that needs non-state actors, two
# answers settle a coalition (for a dyad the advice could still turn on other facts).
GROUP: list[Step] = ["United States", "Japan", "India", ""]
SUMMARY = "Are these answers right?"
# The answers that settle a coalition for a group of three: a transnational problem, non-state
# actors essential, and one more answer (the threat level) that rules out the alliances whose
# evidence could otherwise still outweigh it. Every later question is skipped.
COALITION_STEPS: list[Step] = ["transnational", "true", "false"]
MENU = "What next?"
QUIT = str(len(RESULT_MENU) - 1)


def menu_value(label: str) -> str:
    """Return the menu value of the result-menu entry whose label starts with ``label``."""
    return next(str(i) for i, (title, _) in enumerate(RESULT_MENU) if title.startswith(label))


@pytest.fixture(scope="module")
def engine() -> Engine:
    """The process-wide engine for the bundled knowledge base."""
    return get_engine()


@pytest.fixture
def consult(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Outcome]:
    """Run a scripted consultation in a temporary folder and return what it left behind."""
    monkeypatch.chdir(tmp_path)

    def run(*steps: Step, session: Session | None = None, menu: list[MenuEntry] | None = None) -> Outcome:
        script, out = Script(list(steps)), io.StringIO()
        console = Console(file=out, width=80, no_color=True, highlight=False, force_terminal=False)
        session = session or Session()
        status = Consultation(session, engine, script, console, menu=menu).run()
        return Outcome(status, out.getvalue(), script, session)

    return run


# --- the question flow ----------------------------------------------------------------------


def test_answering_the_questions_gives_the_engines_recommendation(consult: Callable[..., Outcome]) -> None:
    done = consult(*NAMES, Until(SUMMARY, US_JAPAN), "go", QUIT)
    expected = advise(US_JAPAN)
    assert done.status == 0
    assert done.session.parties == ["United States", "Japan"]
    assert f"{expected.label}  ({expected.outcome})" in done.screen
    assert f"Strongest reason: {expected.deciding_rule}" in done.screen
    assert "How the recommendation was reached" in done.screen
    asked = done.script.asked()
    assert asked == [f for f in ORDER if f in asked], "questions come in the natural order"
    assert asked[:2] == ["issue_scope", "nonstate_actors_essential"]


def test_why_shows_the_rules_that_test_the_fact_read_from_the_knowledge_base(
    consult: Callable[..., Outcome], engine: Engine
) -> None:
    done = consult(*NAMES, WHY, "security", KeyboardInterrupt())
    users = engine.kb.users_of_fact("issue_scope")
    assert users
    flat = " ".join(done.screen.split())
    assert "Why this is asked: What is the cooperation mainly about" in flat
    for rule in users:
        assert f"{rule.title} [{rule.id}]" in flat
        assert " ".join(rule.rationale.split()[:6]) in flat
    assert "which counts" in flat and "─ for " in flat  # one line for each side
    assert "this answer can still change the recommendation" in flat
    assert done.script.asked() == ["issue_scope", "issue_scope", "nonstate_actors_essential"]


def test_help_shows_the_scale_from_the_facts_model(consult: Callable[..., Outcome]) -> None:
    done = consult(*NAMES, "security", HELP, KeyboardInterrupt())
    scale = scales()["nonstate_actors_essential"]
    flat = " ".join(done.screen.split())
    assert scale.help in flat
    for meaning in scale.meanings.values():
        assert meaning in flat


def test_an_unknown_answer_is_read_every_way_as_in_the_file_and_its_what_ifs_are_shown(
    consult: Callable[..., Outcome],
) -> None:
    facts = {k: v for k, v in US_JAPAN.items() if k != "threat_level"}
    done = consult(*NAMES, "security", "false", UNKNOWN, Until(SUMMARY, facts), "go", QUIT)
    assert done.session.unknown == ["threat_level"]
    flat = " ".join(done.screen.split())
    assert "threat_level: unknown" in flat
    # as `advisor advise` reads the case file the consultation saves: every value of the scale
    saved = advise(Case.model_validate(case_data(done.session)))
    assert saved.contested == {"threat_level": scales()["threat_level"].values}
    assert "Readings: not robust" in flat and "threat level" in flat
    assert f"{saved.label} {next(iter(saved.readings.values())):.0%}" in flat
    assert "Unknown answers: what each value would give" in flat
    # with the threat unknown the alliance is not certain: each value's outcome is named
    assert re.search(r"threat level: [^.]*→ Alliance \(as now\)", flat), flat
    assert "The recommendation rests on unknown answers (threat level)" in flat


def test_back_returns_to_the_previous_question_with_its_answer_as_default(
    consult: Callable[..., Outcome],
) -> None:
    done = consult(*NAMES, "security", "true", BACK, None, KeyboardInterrupt())
    asked = [(p.fact, p.default) for p in done.script.prompts if p.fact]
    assert asked == [
        ("issue_scope", None),
        ("nonstate_actors_essential", None),
        ("threat_level", None),
        ("nonstate_actors_essential", "true"),
        ("threat_level", None),
    ]
    assert done.session.answers == {"issue_scope": "security", "nonstate_actors_essential": True}


def test_back_from_the_first_question_asks_the_names_again(consult: Callable[..., Outcome]) -> None:
    done = consult(*NAMES, BACK, None, "Korea", "", KeyboardInterrupt())
    texts = [(p.message, p.default) for p in done.script.prompts if p.kind == "text"]
    assert texts[3:] == [
        ("First party's name", "United States"),
        ("Second party's name", "Japan"),
        ("Party 3 (Enter to go on)", ""),
    ]
    assert done.session.parties == ["United States", "Korea"]


def test_questions_that_cannot_matter_are_skipped_and_the_user_is_told_why(
    consult: Callable[..., Outcome],
) -> None:
    done = consult(*GROUP, *COALITION_STEPS, "go", QUIT)
    assert done.script.asked() == ["issue_scope", "nonstate_actors_essential", "standing_commitment"]
    flat = " ".join(done.screen.split())
    assert "no answer to the remaining questions could change it" in flat
    assert "Multi-partner" not in flat.split("Your answers")[0], "the result is not given away early"
    for fact in NOT_ASKED:
        assert f"skipped: {fact_label(fact)} — no rule that could still change the outcome tests it" in flat
    assert f"Not asked, because they could not change the recommendation: {fact_label(NOT_ASKED[0])}" in flat
    assert f"Reasoned without: {fact_label(NOT_ASKED[0])}" in flat  # named as the questions name them


def test_ratification_is_skipped_once_the_threat_is_low(consult: Callable[..., Outcome]) -> None:
    done = consult(*NAMES, "security", "false", "low", Until(SUMMARY, US_JAPAN), "go", QUIT)
    asked = done.script.asked()
    assert "ratification_cost" not in asked and "entrapment_risk" not in asked
    assert "economic_interdependence" in asked
    assert "skipped: ratification cost — no rule that could still change the outcome tests it" in " ".join(
        done.screen.split()
    )


def test_an_answer_changed_in_the_summary_is_used(consult: Callable[..., Outcome]) -> None:
    done = consult(
        *NAMES, Until(SUMMARY, US_JAPAN), "edit", "threat_level", "none", Until(SUMMARY, US_JAPAN), "go", QUIT
    )
    assert done.session.answers["threat_level"] == "none"
    assert [line.strip() for line in done.screen.splitlines()].count("Your answers") == 2
    assert f"{advise(done.session.facts()).label}  (" in done.screen
    assert advise(done.session.facts()).outcome != "alliance"


def test_the_names_can_be_changed_in_the_summary(consult: Callable[..., Outcome]) -> None:
    done = consult(*NAMES, Until(SUMMARY, US_JAPAN), "edit", ":parties", "India", None, "", "go", QUIT)
    assert done.session.parties == ["India", "Japan"]


def test_names_are_shown_as_typed_never_as_markup(consult: Callable[..., Outcome]) -> None:
    done = consult("[bold]X[/bold]", "[red]Y", "Z", "", *COALITION_STEPS, "go", QUIT)
    assert "[bold]X[/bold] / [red]Y / Z" in done.screen


# --- the result menu ---------------------------------------------------------------------------


def test_the_menu_explains_a_fired_rule_and_shows_the_trace(consult: Callable[..., Outcome]) -> None:
    done = consult(*GROUP, *COALITION_STEPS, "go", menu_value("Explain"), "TRN-01", menu_value("Show"), QUIT)
    explain = next(p for p in done.script.prompts if p.message == "Which rule?")
    assert explain.default == "COA-01" and "TRN-01" in explain.values
    assert "IF   issue scope is transnational" in done.screen
    assert "Trace: every rule that fired, in order" in done.screen


def test_change_an_answer_from_the_menu_re_runs_the_engine(consult: Callable[..., Outcome]) -> None:
    steps: list[Step] = [*GROUP, *COALITION_STEPS, "go", menu_value("Change")]
    steps += ["nonstate_actors_essential", "false", Until(SUMMARY, US_JAPAN), "go", QUIT]
    done = consult(*steps)
    assert done.session.answers["nonstate_actors_essential"] is False
    again = advise(done.session.engine_facts())
    assert again.deciding_rule != "COA-01"
    assert (
        done.screen.rfind(f"Strongest reason: {again.deciding_rule}")
        > done.screen.find("Strongest reason: COA-01")
        > 0
    )


@pytest.mark.slow
def test_the_menu_reaches_every_explanation(consult: Callable[..., Outcome], tmp_path: Path) -> None:
    steps: list[Step] = [*GROUP, *COALITION_STEPS, "go", menu_value("How was"), menu_value("Why not")]
    steps += ["alliance", menu_value("How robust"), menu_value("Write a brief"), "brief.md"]
    steps += [menu_value("Write a brief"), "brief.html", QUIT]
    done = consult(*steps)
    why = next(p for p in done.script.prompts if p.message == "Why not which outcome?")
    assert "coalition" not in why.values and "alliance" in why.values
    expected = why_not(advise(done.session.engine_facts()), "alliance")
    assert expected.sentence() in " ".join(done.screen.split())
    assert "COA-01" in done.screen  # the how-tree names the deciding rule
    assert "single" in done.screen  # the sensitivity view
    markdown = (tmp_path / "brief.md").read_text()
    assert markdown.startswith("# Brief: United States / Japan / India") and "```mermaid" in markdown
    assert (tmp_path / "brief.html").read_text().lstrip().lower().startswith("<!doctype html>")


def test_a_menu_entry_is_one_line(consult: Callable[..., Outcome]) -> None:
    seen: list[str] = []

    def why_not(c: Consultation, rec: Recommendation) -> Next:
        seen.append(rec.outcome)
        return "stay"

    menu = [*RESULT_MENU[:-1], ("Why not an alliance?", why_not), RESULT_MENU[-1]]
    done = consult(*GROUP, *COALITION_STEPS, "go", str(len(menu) - 2), str(len(menu) - 1), menu=menu)
    assert seen == ["coalition"]
    offered = next(p for p in done.script.prompts if p.message == MENU)
    assert len(offered.values) == len(RESULT_MENU) + 1


def test_saving_asks_the_missing_facts_and_writes_a_valid_case_file(
    consult: Callable[..., Outcome], tmp_path: Path
) -> None:
    rest = {k: v for k, v in US_JAPAN.items() if k not in COALITION}
    steps: list[Step] = [*GROUP, *COALITION_STEPS, "go", menu_value("Save"), "dyad.yaml", "answer"]
    steps += [Until(MENU, rest), QUIT]
    done = consult(*steps)
    flat = " ".join(done.screen.split())
    assert f"Not asked, because they could not change the recommendation: {fact_label(NOT_ASKED[0])}" in flat
    loaded, errors = load_file(tmp_path / "dyad.yaml")
    assert not errors
    case = loaded[0].case
    assert case.parties == ["United States", "Japan", "India"]
    assert case.facts.model_dump() == {**OPTIONAL_DEFAULTS, **US_JAPAN, **COALITION, "grouping": True}
    assert "standing_commitment: false" in (tmp_path / "dyad.yaml").read_text(), "answered: written"
    assert advise(case).outcome == "coalition"
    assert "Saved the case file dyad.yaml" in done.screen


def test_an_unknown_answer_is_saved_as_unknown_and_said_before_the_name_is_asked(
    consult: Callable[..., Outcome], tmp_path: Path
) -> None:
    steps: list[Step] = [*NAMES, "transnational", UNKNOWN, Until(SUMMARY, US_JAPAN), "go"]
    done = consult(*steps, menu_value("Save"), None, QUIT)
    before_name = done.screen.split("Saved the case file")[0]
    assert "written as unknown in the case file: nonstate actors essential" in " ".join(before_name.split())
    text = (tmp_path / "united-states-japan.yaml").read_text()
    assert "  nonstate_actors_essential: unknown\n" in text
    assert "  issue_scope: transnational\n" in text
    assert "fact(s) written as unknown)" in done.screen
    assert done.status == 0


def test_facts_not_asked_can_be_written_as_unknown(consult: Callable[..., Outcome], tmp_path: Path) -> None:
    done = consult(*GROUP, *COALITION_STEPS, "go", menu_value("Save"), "c.yaml", "unknown", QUIT)
    text = (tmp_path / "c.yaml").read_text()
    for fact in NOT_ASKED:
        assert f"  {fact}: unknown\n" in text
    assert "  nonstate_actors_essential: true\n" in text
    assert done.status == 0


def test_facts_not_asked_can_go_to_a_resume_file_instead(
    consult: Callable[..., Outcome], tmp_path: Path
) -> None:
    done = consult(*GROUP, *COALITION_STEPS, "go", menu_value("Save"), None, "resume", QUIT)
    assert not (tmp_path / "united-states-japan-india.yaml").exists()
    resumed = read_resume(tmp_path / "united-states-japan-india.advisor-resume.yaml")
    assert resumed.unknown == [] and resumed.answers == COALITION
    flat = " ".join(done.screen.split())
    assert "Continue with: advisor ask --resume united-states-japan-india.advisor-resume.yaml" in flat
    assert done.status == 0


def test_save_option_writes_the_case_file_at_the_end(consult: Callable[..., Outcome], tmp_path: Path) -> None:
    session = Session(save=tmp_path / "end.yaml")
    done = consult(
        *NAMES, Until(SUMMARY, US_JAPAN), "go", QUIT, "answer", Until("(never)", US_JAPAN), session=session
    )
    loaded, errors = load_file(tmp_path / "end.yaml")
    assert not errors and loaded[0].case.facts.model_dump() == {
        **US_JAPAN,
        **OPTIONAL_DEFAULTS,
        "grouping": False,
    }
    assert done.status == 0


def test_a_case_file_that_cannot_be_written_at_the_end_keeps_the_answers_and_fails(
    consult: Callable[..., Outcome], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--save's file unwritable when the consultation ends (a folder gone read-only, a full disk):
    the answers go to a resume file, the exit status is not 0, and the resume file it continued
    from is not removed."""
    own = tmp_path / "mine.advisor-resume.yaml"
    session = Session(save=tmp_path / "end.yaml", resume_path=own)
    save_resume(session, own)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("advisor.ask.saving.write_case", refuse)
    done = consult(
        *NAMES, Until(SUMMARY, US_JAPAN), "go", QUIT, "answer", Until("(never)", US_JAPAN), session=session
    )
    assert done.status == 1
    assert not (tmp_path / "end.yaml").exists()
    flat = " ".join(done.screen.split())
    assert (
        "Cannot write" in flat and "The case file was not written. Your answers so far are saved in" in flat
    )
    assert own.is_file(), "the resume file holds the answers: it is not removed"
    assert read_resume(own).answers == done.session.answers and done.session.answers


def test_keeping_a_resume_file_at_the_end_never_replaces_a_file_nor_removes_it(
    consult: Callable[..., Outcome], tmp_path: Path
) -> None:
    """At the end of a consultation with --save, "save a resume file instead" writes beside an
    existing resume file (a numbered name), and the consultation does not then remove it."""
    other = tmp_path / "end.advisor-resume.yaml"
    other.write_text("# someone else's answers\n")
    session = Session(save=tmp_path / "end.yaml")
    done = consult(*GROUP, *COALITION_STEPS, "go", QUIT, "resume", session=session)
    assert other.read_text() == "# someone else's answers\n"
    kept = tmp_path / "end-2.advisor-resume.yaml"
    assert kept.is_file() and read_resume(kept).answers == COALITION
    assert not (tmp_path / "end.yaml").exists() and done.status == 0


# --- prefill, interruption and resuming ----------------------------------------------------------


def test_a_case_file_prefills_the_defaults(consult: Callable[..., Outcome]) -> None:
    session = Session.from_case(US_JAPAN, ["United States", "Japan"])
    done = consult("walk", None, None, "", Until(SUMMARY, US_JAPAN), "go", QUIT, session=session)
    for prompt in done.script.prompts:
        if prompt.fact in US_JAPAN:  # an optional fact the case does not give is not pre-filled
            assert prompt.default == scales()[prompt.fact].show(US_JAPAN[prompt.fact])
    kept_facts = {k: v for k, v in done.session.facts().items() if k in US_JAPAN}
    assert kept_facts == US_JAPAN, "pre-filled values of skipped facts are kept"
    skipped = [f for f in ORDER if f not in done.script.asked() and f in US_JAPAN]
    assert skipped
    for fact in skipped:
        kept = said(fact, US_JAPAN[fact])
        pattern = rf"skipped: {fact_label(fact)} — [^;]*(; [^;]*)?; keeping the pre-filled answer {kept}"
        assert re.search(pattern, " ".join(done.screen.split()))
    assert f"{advise(US_JAPAN).label}  (" in done.screen


ABOUT = {
    "id": "us-japan-1960",
    "title": "Treaty of Mutual Cooperation and Security",
    "year": 1960,
    "expected": "alliance",
    "notes": "Revised from the 1951 treaty.",
    "sources": ["https://example.org/treaty"],
}


def test_a_prefilled_case_is_accepted_at_once_and_saved_with_what_it_said(
    consult: Callable[..., Outcome], tmp_path: Path
) -> None:
    session = Session.from_case(US_JAPAN, ["United States", "Japan"], ABOUT)
    done = consult("yes", menu_value("Save"), None, QUIT, session=session)
    assert done.script.asked() == [], "no question is asked again"
    assert done.script.prompts[0].message == "Use these pre-filled answers?"
    assert "Pre-filled answers (from the case file)" in done.screen
    loaded, errors = load_file(tmp_path / "us-japan-1960.yaml")
    assert not errors
    case = loaded[0].case
    assert case.model_dump(include=set(ABOUT)) == ABOUT
    assert case.facts.model_dump() == {**US_JAPAN, **OPTIONAL_DEFAULTS, "grouping": False}
    assert case.parties == ["United States", "Japan"]


def test_a_prefilled_case_can_change_one_answer_before_accepting(consult: Callable[..., Outcome]) -> None:
    session = Session.from_case(US_JAPAN, ["United States", "Japan"], ABOUT)
    done = consult("change", "3", "low", Until(SUMMARY, {}), "go", QUIT, session=session)
    assert done.script.asked() == ["threat_level"]
    assert done.session.answers["threat_level"] == "low"


@pytest.mark.parametrize("leave", [KeyboardInterrupt(), EOFError()])
def test_leaving_in_the_middle_saves_a_resume_file(
    consult: Callable[..., Outcome], tmp_path: Path, leave: BaseException
) -> None:
    done = consult(*NAMES, "security", UNKNOWN, leave)
    assert done.status == 130
    resumed = read_resume(tmp_path / "consultation.advisor-resume.yaml")
    assert resumed.parties == ["United States", "Japan"]
    assert resumed.answers == {"issue_scope": "security"}
    assert resumed.unknown == ["nonstate_actors_essential"]
    assert "Continue with: advisor ask --resume consultation.advisor-resume.yaml" in done.screen
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_name_typed_before_leaving_is_kept(consult: Callable[..., Outcome], tmp_path: Path) -> None:
    consult("Alpha", KeyboardInterrupt())
    resumed = read_resume(tmp_path / "consultation.advisor-resume.yaml")
    assert (resumed.parties, resumed.suggested_parties) == ([], ["Alpha"])
    again = consult(None, "Beta", "", KeyboardInterrupt(), session=resumed)
    assert again.script.prompts[0].default == "Alpha"
    assert again.session.parties == ["Alpha", "Beta"]


def test_a_resumed_session_continues_where_it_stopped(
    consult: Callable[..., Outcome], tmp_path: Path
) -> None:
    first = consult(*NAMES, "security", "false", KeyboardInterrupt())
    session = read_resume(tmp_path / "consultation.advisor-resume.yaml")
    second = consult("high", KeyboardInterrupt(), session=session)
    assert second.script.prompts[0].fact == "threat_level"
    again = read_resume(tmp_path / "consultation.advisor-resume.yaml")
    assert again.answers == {
        "issue_scope": "security",
        "nonstate_actors_essential": False,
        "threat_level": "high",
    }
    assert first.status == second.status == 130


def test_back_after_resuming_follows_the_order_the_questions_were_answered(
    consult: Callable[..., Outcome], tmp_path: Path
) -> None:
    consult(*NAMES, "security", UNKNOWN, "high", KeyboardInterrupt())
    session = read_resume(tmp_path / "consultation.advisor-resume.yaml")
    assert session.history == ["issue_scope", "nonstate_actors_essential", "threat_level"]
    done = consult(BACK, BACK, KeyboardInterrupt(), session=session)
    asked = [(p.fact, p.default) for p in done.script.prompts if p.fact]
    assert asked == [
        ("shared_adversary", None),
        ("threat_level", "high"),
        ("nonstate_actors_essential", UNKNOWN),  # taken back, the unknown answer is offered again
    ]
    assert "← back to the question on threat level" in done.screen
    assert done.session.answers == {"issue_scope": "security"}
    assert done.session.suggested == {"threat_level": "high"}, "the answer taken back is kept as the default"


def test_a_finished_resumed_consultation_removes_its_resume_file(
    consult: Callable[..., Outcome], tmp_path: Path
) -> None:
    consult(*GROUP, *COALITION_STEPS[:1], KeyboardInterrupt())
    path = tmp_path / "consultation.advisor-resume.yaml"
    done = consult(*COALITION_STEPS[1:], "go", QUIT, session=read_resume(path))
    assert done.status == 0
    assert not path.exists()
    assert "removed its resume file" in done.screen


def test_resume_files_are_named_as_gitignore_leaves_them_out_and_a_new_start_mentions_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ignored = [line.strip() for line in (ROOT / ".gitignore").read_text().splitlines()]
    for name in (RESUME_NAME, unused_resume_path(Path("x")).name, resume_path_for(Path("a/b.yaml")).name):
        assert any(fnmatch.fnmatch(name, pattern) for pattern in ignored), name
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    mention_waiting(Console(file=out, width=100))
    assert out.getvalue() == ""
    save_resume(Session(parties=["A", "B"]), tmp_path / RESUME_NAME)
    mention_waiting(Console(file=out, width=100))
    assert f"Continue it with: advisor ask --resume {RESUME_NAME}" in " ".join(out.getvalue().split())


def test_a_second_interrupted_session_does_not_overwrite_the_first(
    consult: Callable[..., Outcome], tmp_path: Path
) -> None:
    consult(*NAMES, KeyboardInterrupt())
    consult("India", "France", "", KeyboardInterrupt())
    assert read_resume(tmp_path / "consultation.advisor-resume.yaml").parties == ["United States", "Japan"]
    assert read_resume(tmp_path / "consultation-2.advisor-resume.yaml").parties == ["India", "France"]


def test_declining_to_complete_the_case_saves_nothing(
    consult: Callable[..., Outcome], tmp_path: Path
) -> None:
    done = consult(*GROUP, *COALITION_STEPS, "go", menu_value("Save"), "x.yaml", BACK, QUIT)
    assert "Not saved." in done.screen
    assert not (tmp_path / "x.yaml").exists() and not (tmp_path / "x.resume.yaml").exists()


def test_names_keep_control_characters_and_show_them_escaped(consult: Callable[..., Outcome]) -> None:
    session = Session.from_case(US_JAPAN, ["\x1b[31mRed", "Blue\x07"])
    assert session.suggested_parties == ["\x1b[31mRed", "Blue\x07"]  # as the file gives them
    done = consult("  \x1b]0;title\x07Green ", "Gold", "", KeyboardInterrupt())
    assert done.session.parties == ["\x1b]0;title\x07Green", "Gold"]  # as typed, blanks around it aside
    assert "\x1b" not in done.screen and "\x07" not in done.screen


def test_a_party_name_with_a_newline_is_saved_as_given_and_shown_escaped(
    consult: Callable[..., Outcome], tmp_path: Path
) -> None:
    data = {"id": "forged", "parties": ["A", "B\nforged"], "facts": dict(US_JAPAN)}
    (tmp_path / "in.yaml").write_text(yaml.safe_dump(data))
    case = load_file(tmp_path / "in.yaml")[0][0].case
    session = Session.from_case(case.facts.model_dump(), case.parties, {"id": case.id})
    done = consult("yes", menu_value("Save"), "out.yaml", QUIT, session=session)
    assert yaml.safe_load((tmp_path / "out.yaml").read_text())["parties"] == ["A", "B\nforged"]
    assert "B\\nforged" in done.screen
    assert not [line for line in done.screen.splitlines() if line.strip().startswith("forged")]


# --- files ------------------------------------------------------------------------------------------


def test_a_resume_file_round_trips(tmp_path: Path) -> None:
    session = Session(parties=["A", "B"], suggested={"rival_ties": True}, save=Path("out.yaml"))
    session.answer("threat_level", "high")
    session.answer("value_alignment", None)
    session.answer("autonomy_tradition", False)
    save_resume(session, tmp_path / "r.yaml")
    back = read_resume(tmp_path / "r.yaml")
    assert (back.parties, back.answers, back.unknown) == (session.parties, session.answers, session.unknown)
    assert back.suggested == {"rival_ties": True} and back.save == Path("out.yaml")
    assert back.resume_path == tmp_path / "r.yaml"
    assert (tmp_path / "r.yaml").read_text().startswith("# An unfinished `advisor ask` consultation")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("facts: {threat_level: high}\n", "is a case file, not a resume file; use --answers"),
        ("format: advisor-ask-resume/1\nanswers: {threat_level: severe}\n", "'severe' is not one of"),
        ("format: advisor-ask-resume/1\nunknown: [colour]\n", "'colour' is not an unanswered fact"),
        ("just text\n", "not a resume file of advisor ask"),
        ("format: advisor-ask-resume/1\nparties: [a]\nparties: [b]\n", "duplicate"),
        ("just text\n", "not a resume file of advisor ask: it holds a string, not a mapping"),
        ("- a\n- b\n", "it holds a list, not a mapping starting with 'format: advisor-ask-resume/1'"),
        ("format: advisor-ask-resume/1\nanswers: {rival_ties: 'true'}\n", "is not a boolean but a string"),
        ("format: advisor-ask-resume/1\nanswers: {threat_level: ~}\n", "threat_level: the value is empty"),
    ],
)
def test_a_bad_resume_file_is_refused_with_a_reason(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    with pytest.raises(SessionFileError, match=re.escape(message)):
        read_resume(path)


def test_writing_is_atomic_and_a_failed_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "answers.yaml"
    write_atomically(path, "first\n")
    write_atomically(path, "second\n")
    assert path.read_text() == "second\n"

    def broken(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        write_atomically(path, "third\n")
    assert path.read_text() == "second\n"
    assert [p.name for p in tmp_path.iterdir()] == ["answers.yaml"]


def test_a_case_needs_every_fact() -> None:
    session = Session(parties=["A", "B"], answers=dict(COALITION))
    with pytest.raises(ValueError, match=f"not asked: {NOT_ASKED[0]}, {NOT_ASKED[1]}"):
        case_data(session)
    session.answers.update(US_JAPAN)
    session.answers.update(COALITION)
    assert case_data(session)["facts"] == {**US_JAPAN, **COALITION}


def test_every_value_is_offered_with_its_meaning_within_80_columns() -> None:
    for fact in FACT_NAMES:
        menu = [o for o in options(fact, 80) if o is not None]
        scale = scales()[fact]
        for value in scale.values:
            shown = scale.show(value)
            title = next(o.title for o in menu if o.value == shown)
            assert " ".join(title.split()) == f"{said(fact, value)} {scale.meanings[shown]}"
            assert all(len(line) <= 80 - 4 for line in title.splitlines())
        assert [o.value for o in menu][-4:] == [WHY, HELP, UNKNOWN, BACK]


# --- typed choices ---------------------------------------------------------------------------


# What typing picks, question by question: typed -> the value picked.
PICKS: dict[str, dict[str, str]] = {
    "issue_scope": {"multi": "multi_sector", "Multi Sector": "multi_sector", "2": "multi_sector"},
    "nonstate_actors_essential": {"true": "true", "yes": "true", "y": "true", "n": "false"},
    "economic_interdependence": {"medium": "medium"},
    "threat_level": {"high": "high", "low": "low", "e": "existential", "unknown": UNKNOWN, "?u": UNKNOWN},
}
PICKS["threat_level"].update({"?why": WHY, "?h": HELP, "?back": BACK})
# Several plausible values, typed by name or number, picked in the scale's order; one distinct
# value is a single answer, and "or" inside a name is no separator.
PICKS["threat_level"].update(
    {
        "high, existential": "high|existential",
        "high or existential": "high|existential",
        "Existential OR high": "high|existential",
        "4,5": "high|existential",
        "h, e, 2": "low|high|existential",
        "high, high": "high",
        "high or 4": "high",
    }
)
PICKS["existing_ties"] = {"coordination or alliance": "coordination|alliance"}
PICKS["nonstate_actors_essential"]["yes or no"] = "false|true"
PICKS["issue_scope"]["multi, 3"] = "multi_sector|transnational"


@pytest.mark.parametrize(
    ("fact", "typed", "value"),
    [(f, typed, value) for f, picks in PICKS.items() for typed, value in picks.items()],
)
def test_a_typed_name_prefix_or_number_picks_exactly_that_choice(fact: str, typed: str, value: str) -> None:
    assert pick(typed, options(fact, 80)) == value


# What picks nothing, and the reason given: (question, typed) -> message.
NOT_PICKED = {
    ("threat_level", ""): "Nothing typed",
    ("economic_interdependence", "xyz"): "is not one of the answers",
    ("threat_level", "9"): "the numbers go from 1 to 5",
    ("threat_level", "?"): "could be ?why, ?help, ?unknown or ?back",
    ("threat_level", "w"): "is not one of the answers",  # a letter is never a command
    ("threat_level", "b"): "is not one of the answers",
    # several values: the part not understood is named, and how to separate them said
    ("threat_level", "high, severe"): "In 'high, severe': 'severe' is not one of the answers.",
    ("threat_level", "high or 9"): "In 'high or 9': There is no answer 9; the numbers go from 1 to 5.",
    ("threat_level", "high, ?why"): "In 'high, ?why': '?why' is not one of the answers.",
    ("threat_level", "high,"): "In 'high,': an answer is missing before or after a comma or 'or'.",
    ("threat_level", "high, unknown"): "'unknown' is not one of the answers. Type a name",
    ("threat_level", "low or mod or x"): "then Enter. Type several answers separated by commas or 'or'.",
}


@pytest.mark.parametrize(("fact", "typed", "message"), [(*asked, why) for asked, why in NOT_PICKED.items()])
def test_what_picks_nothing_is_asked_again_with_a_reason(fact: str, typed: str, message: str) -> None:
    menu = options(fact, 80)
    with pytest.raises(NotAChoice, match=re.escape(message)) as refused:
        pick(typed, menu)
    assert "\n" not in str(refused.value)


def test_a_prefix_shared_by_two_answers_picks_neither() -> None:
    with pytest.raises(NotAChoice, match="could be low or long"):
        pick("l", [Option("low", "low", "low"), Option("long", "long", "long")])


def test_the_summary_numbers_pick_the_answer_to_change(consult: Callable[..., Outcome]) -> None:
    done = consult(*GROUP, *COALITION_STEPS, "edit", "1", "security", "no", KeyboardInterrupt())
    assert done.session.answers["issue_scope"] == "security"
    edit = next(p for p in done.script.prompts if p.message.startswith("Which answer"))
    assert edit.default is None, "nothing is chosen until something is typed"


def test_back_at_a_name_goes_to_the_previous_name_and_b_is_a_name(consult: Callable[..., Outcome]) -> None:
    done = consult("India", "?back", "Indonesia", "b", "", KeyboardInterrupt())
    assert done.session.parties == ["Indonesia", "b"]
    texts = [(p.message, p.default) for p in done.script.prompts if p.kind == "text"]
    assert texts[:3] == [
        ("First party's name", ""),
        ("Second party's name", ""),
        ("First party's name", "India"),
    ]


def test_a_party_named_twice_is_refused_so_a_pair_is_not_taken_for_a_group(
    consult: Callable[..., Outcome],
) -> None:
    done = consult("India", "Japan", "india", "", KeyboardInterrupt())
    assert done.session.parties == ["India", "Japan"]
    assert "india is already a party; each party is named once." in done.screen


# --- long screens, narrow terminals, the words a student reads ------------------------------------


def test_a_screen_taller_than_the_terminal_is_paged(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # leaving the consultation writes a resume file in the current folder
    out, asked = io.StringIO(), []

    def more(message: str) -> str:
        asked.append((message, out.getvalue().count("\n")))
        return ""

    console = Console(file=out, width=80, height=20, force_terminal=True, no_color=True)
    script = Script([*NAMES, "security", "no", WHY, KeyboardInterrupt()])
    Consultation(Session(), engine, script, console, more=more).run()
    assert asked, "the why screen is longer than 20 rows"
    counts = [count for _, count in asked]
    assert all(b - a <= 18 for a, b in itertools.pairwise(counts))
    assert "Enter to go on, q to skip" in asked[0][0]


def test_students_read_questions_and_meanings_not_code_names(consult: Callable[..., Outcome]) -> None:
    done = consult(*NAMES, "security", WHY, "no", HELP, KeyboardInterrupt())
    screen = " ".join(done.screen.split())
    assert "Why this is asked: Are firms, foundations" in screen
    assert "priority" not in screen and "outrank" not in screen
    assert "✓ nonstate actors essential: no — states can deliver on their own" in screen
    assert "Help: How severe is the external security threat" in screen


def test_below_80_columns_the_summary_is_a_list_that_keeps_every_note(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    console = Console(file=out, width=60, no_color=True, highlight=False)
    script = Script([*GROUP, *COALITION_STEPS, KeyboardInterrupt()])
    Consultation(Session(), engine, script, console).run()
    screen = out.getvalue()
    assert "…" not in screen
    assert " 6 shared adversary: —" in screen  # standing commitment and forum, for a group, are 3 and 4
    assert "not asked: it cannot change the recommendation" in screen
    assert max(len(line) for line in screen.splitlines()) <= 60


# --- several plausible values (a contested answer) -------------------------------------------------


def test_only_the_values_of_a_question_combine() -> None:
    with pytest.raises(NotAChoice, match="is not one of the answers"):
        pick("1, 2", [Option("0", "first", number=1), Option("1", "second", number=2)])


def test_a_contested_answer_is_kept_in_the_scales_order_and_replaced_by_a_new_answer() -> None:
    session = Session(parties=["A", "B"])
    session.answer("threat_level", ("existential", "high", "high"))
    assert session.contested == {"threat_level": ("high", "existential")}
    assert session.answered("threat_level") and "threat_level" not in session.facts()
    assert "threat_level" not in session.missing() and "threat_level" not in session.not_asked()
    assert said("threat_level", session.contested["threat_level"]) == "high or existential"
    session.answer("threat_level", ("low", "low"))
    assert (session.contested, session.answers) == ({}, {"threat_level": "low"})
    session.answer("threat_level", ("low", "none"))
    assert (session.contested, session.answers) == ({"threat_level": ("none", "low")}, {})
    session.answer("threat_level", None)
    assert (session.contested, session.unknown) == ({}, ["threat_level"])
    with pytest.raises(ValueError, match="threat_level: 'severe' is not one of"):
        session.answer("threat_level", ("high", "severe"))


CONTESTED_STEPS: list[Step] = [*NAMES, "security", "no", "low or high"]
# The result menu of ``recording_menu``: "0" keeps the recommendation shown, the rest as usual.
SAVE_AFTER_KEEP = str(1 + int(menu_value("Save")))
QUIT_AFTER_KEEP = str(len(RESULT_MENU))


def recording_menu() -> tuple[list[MenuEntry], list[Recommendation]]:
    """Return the result menu with an entry first that keeps the recommendation shown, and the list."""
    shown: list[Recommendation] = []

    def keep(c: Consultation, rec: Recommendation) -> Next:
        shown.append(rec)
        return "stay"

    return [("Keep", keep), *RESULT_MENU], shown


def test_a_contested_answer_is_echoed_summarised_and_reasoned_over_every_reading(
    consult: Callable[..., Outcome], engine: Engine
) -> None:
    menu, shown = recording_menu()
    done = consult(*CONTESTED_STEPS, Until(SUMMARY, US_JAPAN), "go", "0", QUIT_AFTER_KEEP, menu=menu)
    assert done.session.contested == {"threat_level": ("low", "high")}
    flat = " ".join(done.screen.split())
    assert "✓ threat level: low or high (the advisor will reason over each)" in flat
    summary = flat.split(SUMMARY)[0].split("Your answers")[-1]
    assert re.search(r"threat level\W+low or high\W+the advisor reasons", summary), summary
    assert "Not asked, because" not in flat
    [rec] = shown
    case = Case.model_validate({"parties": NAMES[:2], "facts": {**US_JAPAN, "threat_level": ["low", "high"]}})
    expected = advise(case, engine=engine)
    assert (rec.outcome, rec.readings, rec.contested) == (expected.outcome, expected.readings, case.contested)
    assert not rec.robust and len(rec.readings) == 2
    unboxed = " ".join(done.screen.replace("│", " ").split())
    assert f"Readings: {rec.readings_sentence()}" in unboxed
    assert "not robust: the advice changes with threat level (" in unboxed
    # every answer is given: what differs between the readings rests on no missing answer
    assert "missing answers" not in flat
    # the precedents are compared with the answer, not with the reading followed
    # (a cell may wrap after "threat level:", so the values are looked for on their own)
    assert "low|high → high" in unboxed
    assert not re.search(rf"(?<![|\w]){rec.facts['threat_level']} → ", unboxed)


def test_a_contested_answer_is_saved_as_a_list_that_loads_to_the_advice_shown(
    consult: Callable[..., Outcome], engine: Engine, tmp_path: Path
) -> None:
    menu, shown = recording_menu()
    steps: list[Step] = [*CONTESTED_STEPS, Until(SUMMARY, US_JAPAN), "go", "0", SAVE_AFTER_KEEP, "c.yaml"]
    done = consult(*steps, Until(MENU, US_JAPAN), "0", QUIT_AFTER_KEEP, menu=menu)
    assert "written as their list in the case file: threat level" in " ".join(done.screen.split())
    assert "  threat_level: [low, high]\n" in (tmp_path / "c.yaml").read_text()
    loaded, errors = load_file(tmp_path / "c.yaml")
    assert not errors
    case = loaded[0].case
    assert case.contested == {"threat_level": ("low", "high")}
    rec = advise(case, engine=engine)
    assert shown and not rec.robust
    for before in shown:
        assert (before.outcome, before.readings, before.robust) == (rec.outcome, rec.readings, rec.robust)


def test_an_unknown_answer_gives_the_advice_of_the_file_saved_with_it(
    consult: Callable[..., Outcome], engine: Engine, tmp_path: Path
) -> None:
    """`?unknown` means in the session what `unknown` means in the file the session saves: every value."""
    menu, shown = recording_menu()
    steps: list[Step] = [*NAMES, "security", "no", UNKNOWN, UNKNOWN, Until(SUMMARY, US_JAPAN), "go"]
    done = consult(
        *steps, "0", SAVE_AFTER_KEEP, "u.yaml", Until(MENU, US_JAPAN), "0", QUIT_AFTER_KEEP, menu=menu
    )
    assert done.session.unknown == ["threat_level", "shared_adversary"]
    text = (tmp_path / "u.yaml").read_text()
    assert "  threat_level: unknown\n" in text and "  shared_adversary: unknown\n" in text
    saved = advise(load_file(tmp_path / "u.yaml")[0][0].case, engine=engine)
    assert shown and len(saved.readings) > 1
    for before in shown:
        assert (before.outcome, before.readings, before.robust, before.confidence, before.margin) == (
            saved.outcome,
            saved.readings,
            saved.robust,
            saved.confidence,
            saved.margin,
        )


def test_a_prefilled_contested_case_gives_the_advice_of_advise_and_is_saved_the_same(
    consult: Callable[..., Outcome], engine: Engine, tmp_path: Path
) -> None:
    data = {"id": "us-japan-contested", "parties": ["United States", "Japan"], "facts": dict(US_JAPAN)}
    data["facts"].update(threat_level=["high", "low"], value_alignment="unknown")
    (tmp_path / "in.yaml").write_text(yaml.safe_dump(data))
    case = load_file(tmp_path / "in.yaml")[0][0].case
    session = Session.from_case(case.facts.model_dump(), case.parties, {"id": case.id}, case.contested)
    menu, shown = recording_menu()
    done = consult("yes", "0", SAVE_AFTER_KEEP, None, QUIT_AFTER_KEEP, session=session, menu=menu)
    assert re.search(r"threat level +│ low or high +│", done.screen), done.screen[:3000]
    expected = advise(case, engine=engine)
    [rec] = shown
    assert (rec.outcome, rec.readings) == (expected.outcome, expected.readings)
    in_scale_order = {"threat_level": ("low", "high"), "value_alignment": ("low", "medium", "high")}
    assert rec.contested == done.session.contested == in_scale_order
    saved = load_file(tmp_path / "us-japan-contested.yaml")[0][0].case
    assert saved.contested == in_scale_order
    text = (tmp_path / "us-japan-contested.yaml").read_text()
    assert "  threat_level: [low, high]\n" in text and "  value_alignment: unknown\n" in text
    assert advise(saved, engine=engine).readings == expected.readings


def test_a_prefilled_unknown_answer_stays_unknown_as_the_file_gives_it(
    consult: Callable[..., Outcome], engine: Engine, tmp_path: Path
) -> None:
    data = {"id": "us-japan-unknown", "parties": ["United States", "Japan"], "facts": dict(US_JAPAN)}
    data["facts"].update(shared_adversary="unknown", threat_level=["high", "low"])
    (tmp_path / "in.yaml").write_text(yaml.safe_dump(data))
    case = load_file(tmp_path / "in.yaml")[0][0].case
    assert case.unknown == ("shared_adversary",)  # given as unknown, not as a list of its values
    about = {"id": case.id}
    session = Session.from_case(case.facts.model_dump(), case.parties, about, case.contested, case.unknown)
    done = consult("yes", menu_value("Save"), None, QUIT, session=session)
    assert re.search(r"shared adversary +│ unknown +│", done.screen), done.screen[:3000]
    assert done.session.unknown == ["shared_adversary"]
    assert done.session.contested == {"threat_level": ("low", "high")}
    assert "Unknown answers" in done.screen
    said = " ".join(done.screen.split()).split("Answered with several values")[1].split(".")[0]
    assert "threat" in said and "shared" not in said  # threat_level has several values; not the unknown
    text = (tmp_path / "us-japan-unknown.yaml").read_text()
    assert "  shared_adversary: unknown\n" in text and "  threat_level: [low, high]\n" in text


def test_a_prefilled_unknown_answer_survives_leaving_and_resuming(tmp_path: Path) -> None:
    session = Session.from_case(US_JAPAN, ["United States", "Japan"], {}, {}, ("threat_level",))
    assert session.is_prefilled() and session.offers_unknown("threat_level")
    save_resume(session, tmp_path / "r.yaml")
    again = read_resume(tmp_path / "r.yaml")
    assert again.offers_unknown("threat_level") and again.is_prefilled()
    again.accept_all()
    assert again.unknown == ["threat_level"] and "threat_level" not in again.contested


def test_back_offers_a_contested_answer_again_as_it_was_typed(consult: Callable[..., Outcome]) -> None:
    done = consult(*CONTESTED_STEPS, BACK, None, KeyboardInterrupt())
    defaults = [p.default for p in done.script.prompts if p.fact == "threat_level"]
    assert defaults == [None, "low|high"]
    assert done.session.contested == {"threat_level": ("low", "high")}
    assert default_text(options("threat_level", 80), "low|high") == "low or high"


def test_back_offers_an_unknown_answer_again_as_unknown(consult: Callable[..., Outcome]) -> None:
    done = consult(*NAMES, "security", "no", UNKNOWN, BACK, None, KeyboardInterrupt())
    defaults = [p.default for p in done.script.prompts if p.fact == "threat_level"]
    assert defaults == [None, UNKNOWN], "taken back, an unknown answer is offered again, not lost"
    assert done.session.unknown == ["threat_level"] and not done.session.taken_back_unknown


def test_a_contested_answer_survives_leaving_and_resuming(
    consult: Callable[..., Outcome], tmp_path: Path
) -> None:
    consult(*CONTESTED_STEPS, KeyboardInterrupt())
    path = tmp_path / "consultation.advisor-resume.yaml"
    assert "  threat_level: [low, high]\n" in path.read_text()
    session = read_resume(path)
    assert session.contested == {"threat_level": ("low", "high")}
    assert session.history == ["issue_scope", "nonstate_actors_essential", "threat_level"]
    done = consult(BACK, KeyboardInterrupt(), session=session)
    asked = [(p.fact, p.default) for p in done.script.prompts if p.fact]
    assert asked[1:] == [("threat_level", "low|high")] and asked[0][0] != "threat_level"
    again = read_resume(path)
    assert again.suggested == {"threat_level": ("low", "high")} and not again.contested


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ("{threat_level: [high, severe]}", "threat_level: 'severe' is not one of"),
        ("{rival_ties: [true, 'no']}", "rival_ties: 'no' is not a boolean"),
        ("{threat_level: []}", "threat_level: no value given"),
    ],
)
def test_a_bad_contested_answer_in_a_resume_file_is_refused_in_one_line(
    tmp_path: Path, answers: str, message: str
) -> None:
    path = tmp_path / "bad.advisor-resume.yaml"
    path.write_text(f"format: advisor-ask-resume/1\nanswers: {answers}\n")
    with pytest.raises(SessionFileError, match=re.escape(message)) as refused:
        read_resume(path)
    assert "\n" not in str(refused.value)


def test_a_question_no_reading_of_a_contested_answer_can_need_is_skipped_but_asked_for_unknown(
    consult: Callable[..., Outcome], engine: Engine
) -> None:
    # A dyad on security without non-state actors, the threat "none or low": no reading gives a
    # threat an alliance could answer, so the entrapment risk (which only weighs an alliance)
    # cannot change the advice; with the threat unknown it could be moderate, and it is asked.
    dyad = {**US_JAPAN, "shared_adversary": "partial"}
    first: list[Step] = [*NAMES, "security", "no"]
    contested = consult(*first, "none or low", Until(SUMMARY, dyad), "go", QUIT)
    unknown = consult(*first, UNKNOWN, Until(SUMMARY, dyad), "go", QUIT)
    assert contested.session.contested == {"threat_level": ("none", "low")}
    assert "entrapment_risk" in unknown.script.asked()
    assert "entrapment_risk" not in contested.script.asked()
    flat = " ".join(contested.screen.split())
    assert "skipped: entrapment risk — no rule that could still change the outcome tests it" in flat
    # The reason, by the engine: with the other answers, no value of the entrapment risk changes
    # the advice over the two readings, while some threat "unknown" leaves open it does change.
    base = {f: v for f, v in dyad.items() if f not in ("threat_level", "entrapment_risk")}
    risks = scales()["entrapment_risk"].values
    shown = {advise_over(engine, {**base, "entrapment_risk": r}, contested.session.contested) for r in risks}
    assert len(shown) == 1, shown
    threats = scales()["threat_level"].values
    assert any(
        len({advise({**base, "threat_level": t, "entrapment_risk": r}, engine=engine).outcome for r in risks})
        > 1
        for t in threats
    )


def advise_over(
    engine: Engine, facts: dict[str, FactValue], contested: dict[str, tuple[FactValue, ...]]
) -> tuple[str, tuple[tuple[str, float], ...]]:
    """Return the advice over every reading of the contested facts, and the readings' shares."""
    rec = over_facts({k: v for k, v in facts.items() if k not in contested}, contested, engine)
    return rec.outcome, tuple(rec.readings.items())


def unqualified(text: str, fact: str, value: str, answer: str) -> list[str]:
    """Return the clauses of a brief that give a contested fact one reading's value as if it were the
    answer: they name the fact and the value, but neither the reading nor the plausible values."""
    found = []
    for clause in re.split(r"[|;.\n]", text.replace("\\|", "/")):
        shown = clause.replace(answer, "").replace("/".join(answer.split(" or ")), "")
        shown = re.sub(r"\S+ there", "", shown)  # a precedent's value, in its list of differences
        if fact in clause and re.search(rf"\b{value}\b", shown) and "reading" not in clause:
            found.append(clause.strip())
    return found


@pytest.mark.parametrize("values", ["low or high", "high or existential"])
def test_a_brief_written_after_a_contested_answer_says_the_values_the_shares_and_no_reading_as_the_case(
    consult: Callable[..., Outcome], engine: Engine, tmp_path: Path, values: str
) -> None:
    steps: list[Step] = [*NAMES, "security", "no", values, Until(SUMMARY, US_JAPAN), "go"]
    brief = menu_value("Write a brief")
    done = consult(*steps, brief, "brief.md", brief, "brief.html", QUIT)
    contested = done.session.contested
    case = Case.model_validate(
        {"parties": NAMES[:2], "facts": {**US_JAPAN, "threat_level": list(contested["threat_level"])}}
    )
    rec = advise(case, engine=engine)
    text = (tmp_path / "brief.md").read_text()
    assert f"| threat level | **{values}** | contested: the advisor reasoned over each value" in text
    readings = text.split("**Readings:** ")[1].split("\n")[0]
    assert readings.startswith("robust: the same advice" if rec.robust else "not robust: the advice changes")
    for outcome, share in rec.readings.items():
        assert f"{outcome_label(outcome)} {share:.0%}" in readings
    read = str(rec.facts["threat_level"])  # the reading the reasoning follows
    assert unqualified(text, "threat level", read, values) == []
    changes = re.findall(r"^\| threat level \| (.*?) → ", text, flags=re.MULTILINE)  # the sensitivity table
    assert changes and set(changes) == {values}, changes  # a change of the answer, not of the reading
    assert f"threat level: {read} here" not in text  # the precedents compare the plausible values
    page = (tmp_path / "brief.html").read_text()
    assert f"<strong>{values}</strong>" in page and ("not robust" in page) == (not rec.robust)


def test_help_says_several_values_can_be_given(consult: Callable[..., Outcome]) -> None:
    done = consult(*NAMES, "security", "no", HELP, KeyboardInterrupt())
    flat = " ".join(done.screen.split())
    assert "Unsure between some values? Type them all, separated by commas or 'or'" in flat
    assert "(high or existential): the advisor reasons over each" in flat


# --- the real program, in a pseudo-terminal ---------------------------------------------------------

QUESTION = r"(?:Question \d+|Needed for the case file:) "


def ask(cwd: Path, *args: str) -> Terminal:
    """Start the real ``advisor ask ARGS`` in a pseudo-terminal, 80 columns wide."""
    return Terminal(cwd, "ask", *args, question=QUESTION)


def advise_json(path: Path) -> dict[str, Any]:
    """Run ``advisor advise FILE --json`` and return its result."""
    done = subprocess.run(
        [sys.executable, "-m", "advisor", "advise", str(path), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.slow
def test_without_a_terminal_it_says_so_in_one_line_and_exits_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "advisor", "ask"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=terminal_env(),
        timeout=30,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "advisor: ask needs an interactive terminal; for a case file use: advisor advise FILE\n"
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--resume", "case.yaml"], "is a case file, not a resume file; use --answers"),
        (["--case", "x"], "--case chooses a case in the --answers file"),
        (["--answers", "missing.yaml"], "missing.yaml: no such file"),
        (["--save", "no/such/folder/x.yaml"], "its folder does not exist"),
        # tried, not guessed: sysfs refuses a new file even to root
        (["--save", "/sys/x.yaml"], "--save /sys/x.yaml: cannot write in its folder"),
    ],
)
def test_bad_options_are_refused_in_one_line_before_any_question(
    tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "case.yaml").write_text("facts: {threat_level: high}\n")
    term = ask(tmp_path, *args)
    term.wait(re.escape(message))
    assert term.finish() == 2
    assert "Traceback" not in term.screen and "First party" not in term.screen


@pytest.mark.slow
@pytest.mark.parametrize(("reply", "kept"), [("n", True), ("y", False)])
def test_save_to_a_file_that_exists_asks_first(tmp_path: Path, reply: str, kept: bool) -> None:
    """--save names a file that exists: the consultation asks, at the start, before overwriting it."""
    (tmp_path / "end.yaml").write_text("# mine\n")
    term = ask(tmp_path, "--save", "end.yaml")
    term.line(re.escape("--save end.yaml exists. Overwrite it at the end?"), reply)
    if kept:
        term.wait("will not be overwritten; save the case file from the result menu")
    term.names("India", "France")
    term.child.expect("What is the cooperation mainly about")
    term.key("\x03")  # Ctrl-C
    assert term.finish() == 130
    assert (tmp_path / "end.yaml").read_text() == "# mine\n"  # never written before the end


@pytest.mark.slow
def test_a_whole_consultation_in_a_terminal(tmp_path: Path) -> None:
    term = ask(tmp_path)
    term.names("[bold]X[/bold]", "Japan")
    term.menu("What is the cooperation mainly about", "1")  # security, by its number
    term.menu("Are firms, foundations", "?why")
    term.wait("Why this is asked")
    term.menu("Are firms, foundations", "no")
    term.menu("How severe is the external", "?unknown")
    term.menu("Do both sides name", "?back")
    term.wait("← back to the question on threat level")
    term.menu("How severe is the external", "hi")  # a unique prefix of high
    term.menu("Do both sides name", "full")
    term.menu("How likely is a binding", "low")
    term.answer_until("Are these answers right")
    term.key("change" + ENTER)
    term.menu("Which answer do you want to change", "7")  # ratification_cost, as numbered in the summary
    term.menu("How costly would domestic", "high")
    term.answer_until("Are these answers right")
    term.key(ENTER)  # "yes" is pre-typed
    term.menu("What next", menu_key("Save"))
    term.child.expect("Save the case file as")
    term.child.sendline("\x15dyad.yaml")  # Ctrl-U clears the suggested name
    # the questions skipped as unable to change the advice are written as unknown
    if term.child.expect(["Saved the case file dyad.yaml", r"Enter keeps it"]) == 1:
        term.child.send("\x15unknown" + ENTER)
        term.wait("Saved the case file dyad.yaml")
    term.menu("What next", menu_key("Quit"))
    assert term.finish() == 0
    screen = term.screen
    assert "[bold]X[/bold] / Japan" in screen
    assert "✓ threat level: unknown" in screen
    assert "Your answers" in screen
    result = advise_json(tmp_path / "dyad.yaml")
    # the result names the saved case's advice, and no other outcome is given as the result
    assert f"{result['label']} ({result['recommendation']})" in screen
    assert f"Strongest reason: {result['deciding_rule']}" in screen
    others = [o for o in OUTCOME_IDS if o != result["recommendation"]]
    assert not [o for o in others if f"{outcome_label(o)} ({o})" in screen], (
        "another outcome shown as the result"
    )
    facts = result["facts"]
    assert (facts["threat_level"], facts["shared_adversary"]) == ("high", "full")
    assert facts["ratification_cost"] == "high"
    assert facts["issue_scope"] == "security" and facts["nonstate_actors_essential"] is False


@pytest.mark.slow
@pytest.mark.parametrize(
    ("before", "typed", "fact", "value"),
    [
        ([], "multi", "issue_scope", "multi_sector"),  # a unique prefix
        (["transnational"], "true", "nonstate_actors_essential", True),
        (["security", "no", "?back"], "2", "nonstate_actors_essential", True),  # its number, after back
        (["security", "no", "low"], "HIGH", "shared_adversary", None),  # not a value here: asked again
    ],
)
def test_a_typed_name_records_exactly_that_value(
    tmp_path: Path, before: list[str], typed: str, fact: str, value: FactValue | None
) -> None:
    term = ask(tmp_path)
    term.names("India", "b")  # a name, not a command
    for answer in [*before, typed]:
        term.key(answer + ENTER)
    term.key("\x03")
    assert term.finish() == 130
    saved = read_resume(tmp_path / "consultation.advisor-resume.yaml")
    assert saved.parties == ["India", "b"]
    assert "Why this is asked" not in term.screen and "Help:" not in term.screen
    assert not saved.unknown
    if value is None:
        assert fact not in saved.answers
        assert "'HIGH' is not one of the answers" in term.screen
    else:
        assert saved.answers[fact] == value


def menu_key(label: str) -> str:
    """Return the key that picks a result-menu entry."""
    return str(int(menu_value(label)) + 1)


@pytest.mark.slow
def test_several_values_typed_in_a_terminal_are_kept_to_mend_and_recorded(tmp_path: Path) -> None:
    term = ask(tmp_path)
    term.names("India", "France")
    for question, typed in [("What is the coop", "1"), ("Are firms", "no"), ("How severe", "4, severe")]:
        term.menu(question, typed)
    term.wait("In '4, severe': 'severe' is not one of the answers")
    term.key("\x7f" * len("severe") + "5" + ENTER)  # the line typed is kept: mend its last part
    term.wait(": high or existential")
    term.child.expect("Do both sides name")
    term.key("\x03")  # Ctrl-C
    assert term.finish() == 130
    saved = read_resume(tmp_path / "consultation.advisor-resume.yaml")
    assert saved.contested == {"threat_level": ("high", "existential")}


@pytest.mark.slow
def test_interrupting_saves_and_resume_continues_to_a_saved_case(tmp_path: Path) -> None:
    term = ask(tmp_path)
    term.names("India", "France")
    term.menu("What is the cooperation mainly about", "multi_sector")
    term.menu("Are firms, foundations", "?unknown")
    term.child.expect("How severe is the external")
    term.key("\x03")  # Ctrl-C
    term.wait("Continue with: advisor ask --resume consultation.advisor-resume.yaml")
    assert term.finish() == 130
    saved = read_resume(tmp_path / "consultation.advisor-resume.yaml")
    assert saved.answers == {"issue_scope": "multi_sector"}
    assert saved.unknown == ["nonstate_actors_essential"]

    term = ask(tmp_path, "--resume", "consultation.advisor-resume.yaml", "--save", "case.yaml")
    term.menu("How severe is the external", "none")  # the next question, not the names again
    term.answer_until("Are these answers right")
    term.key(ENTER)
    term.menu("What next", menu_key("Quit"))
    term.menu("A case file names every fact", "")
    term.answer_until("Saved the case file case.yaml")
    assert term.finish() == 0
    assert "First party's name" not in term.screen
    facts = yaml.safe_load((tmp_path / "case.yaml").read_text())["facts"]
    assert facts["issue_scope"] == "multi_sector"
    assert facts["threat_level"] == "none"
    assert facts["nonstate_actors_essential"] == "unknown"
    assert not (tmp_path / "consultation.advisor-resume.yaml").exists(), "finished: nothing left to resume"


@pytest.mark.slow
def test_end_of_input_at_a_question_saves_too(tmp_path: Path) -> None:
    term = ask(tmp_path)
    term.names("Brazil", "EU")
    term.child.expect("What is the cooperation mainly about")
    term.key("\x04")  # Ctrl-D
    term.wait("advisor ask --resume")
    assert term.finish() == 130
    assert read_resume(tmp_path / "consultation.advisor-resume.yaml").parties == ["Brazil", "EU"]


@pytest.mark.slow
def test_a_prefilled_case_runs_through_with_enter_and_saves_the_same_facts(tmp_path: Path) -> None:
    source = ROOT / "cases" / "library" / "us-japan-1960.yaml"
    if not source.is_file():
        pytest.skip("the case library is not in this tree")
    term = ask(tmp_path, "--answers", str(source), "--save", "out.yaml")
    term.menu("Use these pre-filled answers", "")  # Enter keeps "yes": accept them all
    term.menu("What next", menu_key("Quit"))
    term.wait("Saved the case file out.yaml")
    assert term.finish() == 0
    expected = advise_json(source)
    saved = advise_json(tmp_path / "out.yaml")
    assert saved["facts"] == expected["facts"]
    assert saved["recommendation"] == expected["recommendation"]
    original = yaml.safe_load(source.read_text())
    written = yaml.safe_load((tmp_path / "out.yaml").read_text())
    assert {k: v for k, v in written.items()} == original
    assert "United States / Japan" in term.screen


@pytest.mark.slow
def test_a_brief_written_in_a_terminal_after_a_contested_answer_says_its_values_and_readings(
    tmp_path: Path,
) -> None:
    term = ask(tmp_path)
    term.names("United States", "Japan")
    term.menu("What is the cooperation mainly about", "security")
    term.menu("Are firms, foundations", "no")
    term.menu("How severe is the external", "low, high")
    asked = {re.escape(scales()[f].question[:24]): show(f, v) for f, v in US_JAPAN.items()}
    while (found := term.child.expect([*asked, "Are these answers right"])) < len(asked):
        term.key(list(asked.values())[found] + ENTER)  # the other answers: the US and Japan's
    term.key(ENTER)  # "yes" is pre-typed
    term.menu("What next", menu_key("Write a brief"))
    term.child.expect("Write the brief as")
    term.child.sendline("\x15brief.md")  # Ctrl-U clears the suggested name
    term.wait("Brief written to brief.md")
    term.menu("What next", menu_key("Quit"))
    assert term.finish() == 0
    text = (tmp_path / "brief.md").read_text()
    assert "| threat level | **low or high** | contested: the advisor reasoned over each value" in text
    readings = text.split("**Readings:** ")[1].split("\n")[0]
    shares = [int(n) for n in re.findall(r"(\d+)%", readings)]
    assert "threat level" in readings and "every reading" in readings and sum(shares) in (99, 100, 101)
    robust = shares == [100]
    assert readings.startswith("robust: the same advice" if robust else "not robust: the advice changes")
    read = re.search(r"gives this advice: threat level (\w+)\.", readings)
    assert read is not None and read[1] in ("low", "high")
    assert unqualified(text, "threat level", read[1], "low or high") == []
    changes = re.findall(r"^\| threat level \| (.*?) → ", text, flags=re.MULTILINE)  # the sensitivity table
    assert set(changes) <= {"low or high"} and (robust or changes)  # one value of the answer gives the other


def sensitivity_rows(screen: str) -> list[tuple[str, str]]:
    """Return (fact, change) for each row of the last sensitivity table shown, a wrapped cell joined up
    and a fact's label carried down to the rows under it."""
    rows: list[list[str]] = []
    table = screen.split("Single changes that alter the recommendation")[-1].split("└")[0]
    for cells in re.findall(r"^│(.*?)│(.*?)│(.*?)│(.*?)│$", table, flags=re.MULTILINE):
        fact, change, _, rule = (c.strip() for c in cells)
        if rule:
            rows.append([fact or rows[-1][0], change])
        else:  # the next line of a wrapped row
            rows[-1] = [" ".join(filter(None, [rows[-1][0], fact])), f"{rows[-1][1]} {change}".strip()]
    return [(fact, change) for fact, change in rows]


@pytest.mark.parametrize("values", ["low or high", "high or existential"])
def test_how_robust_after_a_contested_answer_changes_the_answer_from_its_values_over_the_readings(
    consult: Callable[..., Outcome], engine: Engine, values: str
) -> None:
    menu, shown = recording_menu()
    steps: list[Step] = [*NAMES, "security", "no", values, Until(SUMMARY, US_JAPAN), "go", "0"]
    done = consult(*steps, str(1 + int(menu_value("How robust"))), QUIT_AFTER_KEEP, menu=menu)
    [rec] = shown
    # the answers given (a question no reading can need is skipped), advised anew over the readings
    anew = over_facts(done.session.engine_facts(), done.session.contested, engine)
    assert (anew.outcome, anew.readings, anew.contested) == (rec.outcome, rec.readings, rec.contested)
    expected = explanation(anew, engine=engine, sensitivity=True).sensitivity
    assert expected is not None and expected.over_readings
    # every change the engine finds over the readings, a contested answer changed from its values
    rows = sensitivity_rows(done.screen)
    said = [
        (f.change.fact, f"{f.change.said_before()} → {show(f.change.fact, f.change.after)}")
        for f in expected.flips
    ]
    assert [c for _, c in rows] == [c for _, c in said]
    assert rows == [(fact_label(f), c) for f, c in said]
    read = show("threat_level", rec.facts["threat_level"])  # the reading the reasoning follows
    threat = [change for fact, change in rows if fact == "threat level"]
    assert threat and all(change.startswith(f"{values} → ") for change in threat), rows
    assert not [c for _, c in rows if c.startswith(f"{read} → ")]
    assert "the advice taken over every reading of the others" in " ".join(done.screen.split())


def test_why_not_after_a_contested_answer_judges_its_change_over_the_readings(
    consult: Callable[..., Outcome], engine: Engine
) -> None:
    menu, shown = recording_menu()
    steps: list[Step] = [*CONTESTED_STEPS, Until(SUMMARY, US_JAPAN), "go", "0"]
    done = consult(*steps, str(1 + int(menu_value("Why not"))), "alliance", QUIT_AFTER_KEEP, menu=menu)
    [rec] = shown
    assert rec.outcome != "alliance" and rec.contested == {"threat_level": ("low", "high")}
    read = show("threat_level", rec.facts["threat_level"])  # the reading the reasoning follows
    flat = " ".join(done.screen.split())
    note = "Each change is judged over the readings of the contested facts, as --set judges it; what stood"
    assert note in flat
    assert (
        f"the reading the reasoning follows (threat level {read}); the answers are threat level low or high."
        in flat
    )
    answer = why_not(rec, "alliance", engine=engine)
    assert "threat_level" in [c.fact for c in answer.changes]
    assert answer.sentence() in flat and "rather than low or high" in answer.sentence()


# --- the optional facts --------------------------------------------------------------------------


def test_a_pair_is_never_asked_standing_commitment_nor_shown_it(consult: Callable[..., Outcome]) -> None:
    done = consult(*NAMES, Until(SUMMARY, US_JAPAN), "go", QUIT)
    assert "standing_commitment" not in done.script.asked()
    assert "standing commitment" not in done.screen
    assert "standing_commitment" not in done.session.answers


def test_an_optional_fact_answered_is_saved_and_resumed_and_one_not_asked_is_not_written(
    consult: Callable[..., Outcome], tmp_path: Path
) -> None:
    consult(*GROUP, "transnational", "true", "true", KeyboardInterrupt())
    session = read_resume(tmp_path / "consultation.advisor-resume.yaml")
    assert session.answers["standing_commitment"] is True
    steps: list[Step] = [Until(SUMMARY, US_JAPAN), "go", menu_value("Save"), "g.yaml", "answer"]
    done = consult(*steps, Until(MENU, US_JAPAN), QUIT, session=session)
    text = (tmp_path / "g.yaml").read_text()
    assert "standing_commitment: true" in text
    case = load_file(tmp_path / "g.yaml")[0][0].case
    assert case.facts.standing_commitment is True
    assert f"{advise(case).label}  (" in done.screen


def test_a_group_case_file_that_leaves_the_optional_fact_out_shows_its_default_and_asks_it(
    consult: Callable[..., Outcome], tmp_path: Path
) -> None:
    session = Session.from_case(US_JAPAN, ["United States", "Japan", "India"], ABOUT)
    done = consult("yes", "true", menu_value("Save"), None, QUIT, session=session)
    flat = " ".join(done.screen.split())
    assert "false (default: not given)" in flat.split("Use these pre-filled answers?")[0]
    assert "standing commitment unknown" not in flat
    # accepted, the file's answers are not asked again, but the one it leaves out can still matter
    assert done.script.asked() == ["standing_commitment"]
    case = load_file(tmp_path / "us-japan-1960.yaml")[0][0].case
    assert case.facts.standing_commitment is True and case.facts.grouping is True


@pytest.mark.parametrize("width", [80, 100])
def test_long_party_names_wrap_and_the_summary_keeps_its_row_numbers_and_notes(
    engine: Engine, width: int
) -> None:
    from advisor.engine import analyse
    from advisor.render.consultation import summary_table

    names = ["United Kingdom of Great Britain and Northern Ireland", "Democratic People's Republic of Korea"]
    session = Session(parties=names * (width // 50))  # two names at 80 columns, four at 100
    for fact, value in US_JAPAN.items():
        session.answer(fact, None if fact == "threat_level" else value)
    out = io.StringIO()
    console = Console(file=out, width=width, no_color=True, highlight=False)
    console.print(summary_table(session, analyse(session.facts(), engine.kb, {}), engine.kb, width=width))
    text = out.getvalue()
    assert "…" not in text, text
    rows = [line for line in text.splitlines() if re.match(r"│ +\d+ │", line)]
    assert [int(line.split("│")[1]) for line in rows] == list(range(1, len(rows) + 1)) and len(rows) >= 13
    assert "the advisor reasons" in text and "Northern Ireland" in text and "of Korea" in text
