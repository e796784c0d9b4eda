"""QA21's findings on wording (defect 13): each reproduced against the function the prompt or command uses."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from rich.console import Console

from advisor.ask.prompts import NotAChoice, Option, default_text, pick
from advisor.ask.questions import UNKNOWN, options, why_asked
from advisor.engine.relevance import analyse
from advisor.exercise.session import ask_prediction
from advisor.outcomes import OUTCOME_IDS
from advisor.rulebase import load_knowledge_base

from running import ROOT, advisor


class Recorder:
    """A prompter that records what it was asked and answers with the default."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, list[Option], str | None, str]] = []

    def select(self, message: str, choices: Any, default: str | None = None, hint: str = "") -> str:
        self.asked.append((message, [o for o in choices if o is not None], default, hint))
        return default or ""

    def text(self, message: str, default: str = "") -> str:
        return default


# --- a: the overwrite prompt's default is one of the choices shown ----------------------------------


def test_the_overwrite_prompt_keeps_the_file_by_a_name_it_shows(tmp_path: Path) -> None:
    from advisor.ask.saving import ask_path

    existing = tmp_path / "existing.md"
    existing.write_text("mine", encoding="utf-8")
    prompter = Recorder()
    c = SimpleNamespace(prompter=prompter, say=lambda *a, **k: None, session=None)
    assert ask_path(c, "Save the brief as", str(existing)) is None  # type: ignore[arg-type]
    _, choices, default, _ = prompter.asked[0]
    shown = default_text(choices, default)
    assert shown == "keep", shown  # was "no", while the choices read "replace it" and "keep it"
    for choice in choices:
        assert choice.title.startswith(str(choice.key)), choice  # each name to type is the word shown
    assert pick("keep", choices) == pick("no", choices) == "no"
    assert pick("replace", choices) == pick("yes", choices) == "yes"


# --- b: the prediction prompt takes an outcome's name, and says so when something else is typed -------


def test_the_prediction_prompt_accepts_names_and_names_them_when_it_refuses() -> None:
    prompter = Recorder()
    ask_prediction(prompter, Console(file=open("/dev/null", "w")), "alliance")  # noqa: SIM115
    _, choices, _, hint = prompter.asked[0]
    assert pick("alliance", choices) == "alliance" and pick("3", choices) == "strategic"
    assert pick("coal", choices) == "coalition"  # a unique prefix, as the hint says
    assert pick("Comprehensive Strategic Partnership", choices) == "comprehensive"
    with pytest.raises(NotAChoice) as refused:
        pick("yes", choices)
    message = str(refused.value)
    assert "a name (1" not in message, message  # numbers were called names
    assert all(outcome in message for outcome in OUTCOME_IDS) and "a number (1-6)" in message, message
    assert "partnership" in hint and "number" in hint


# --- c: an answer given by ?unknown is remembered as "unknown", not as the command -----------------------


def test_an_unknown_answer_is_pre_typed_as_unknown_not_as_the_command() -> None:
    entries = options("threat_level", 100)
    assert default_text(entries, UNKNOWN) == "unknown"
    assert pick(default_text(entries, UNKNOWN), entries) == UNKNOWN  # Enter keeps it


# --- d: ?why lists several outcomes so that a student can tell them apart -----------------------------


def test_why_names_several_outcomes_apart() -> None:
    kb = load_knowledge_base()
    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(why_asked("threat_level", kb, analyse({}, kb, {})))
    text = console.export_text()
    assert "Strategic Partnership and Comprehensive Strategic Partnership and" not in text
    assert (
        "for each of “Strategic Partnership”, “Comprehensive Strategic Partnership” and "
        "“Comprehensive Strategic Partnership of Coordination”" in text
    )
    assert "; for " not in text  # each side on a line of its own


# --- e: a what-if of a fact that does not apply to a pair says it is not weighed ---------------------


def test_a_what_if_of_a_groups_only_fact_on_a_pair_says_it_is_not_weighed() -> None:
    case = ROOT / "cases" / "library" / "us-india-2005.yaml"
    result = advisor("explain", str(case), "--set", "standing_commitment=true", "--json")
    sentence = json.loads(result.stdout)["what_if"]["sentence"]
    assert "would still recommend" in sentence
    assert "three states or more is judged on standing commitment: a pair's is not weighed" in sentence
    plain = json.loads(advisor("explain", str(case), "--set", "threat_level=high", "--json").stdout)
    assert "not weighed" not in plain["what_if"]["sentence"]


# --- 4: a long inference chain is drawn top to bottom, never wider than a short one -------------------


def test_a_long_chain_is_drawn_no_wider_than_three_columns() -> None:
    import re

    from advisor.render.svg import MIN_SCALE, WIDEST, chain_svg

    nodes = {
        f"n{i}_{j}": ("rule", f"RUL-{i}{j}: a rule with a title long enough to wrap")
        for i in range(9)
        for j in range(5)
    }
    edges = [(f"n{i}_{j}", f"n{i + 1}_{k}") for i in range(8) for j in range(5) for k in range(5)]
    svg = chain_svg(nodes, edges, title="long")
    width = float(re.search(r'<svg[^>]* width="(\d+)"', svg)[1])  # type: ignore[index]
    assert width <= WIDEST, width  # nine columns side by side were 2,230 units wide
    assert f"min-width: {width * MIN_SCALE:.0f}px" in svg  # shrunk on a screen no further than this
    short = chain_svg({"a": ("fact", "a"), "b": ("outcome", "b")}, [("a", "b")], title="short")
    assert 'x="260"' in short  # a short chain still reads left to right


# --- 6: the class report's contested-facts chart names every coding in words ---------------------------


def test_every_coding_in_the_class_chart_is_named_in_words(tmp_path: Path) -> None:
    import re
    from xml.etree import ElementTree

    from advisor.exercise.grade import grade
    from advisor.exercise.pack import load_pack
    from advisor.exercise.synthetic import synthetic_class, write_class
    from advisor.render.class_report import html

    pack = load_pack()
    write_class(tmp_path / "class", synthetic_class(pack, 12, seed=3))
    grades = grade([tmp_path / "class"], pack)
    page = html(grades)
    chart = re.search(r"<svg.*?</svg>", page, re.S)
    assert chart is not None
    svg = ElementTree.fromstring(chart[0])
    shown = [" ".join("".join(text.itertext()).split()) for text in svg.iter("text")]  # never <title>
    spread = [s for s in grades.spread() if s.disagreement > 0]
    assert spread
    for s in spread:
        said = [f"{value} {count}" for value, count in s.counts.items()]
        lines = [line for line in shown if line.endswith(f"of {s.total}")]  # the lines under the bars
        assert any(all(words in line for words in said) for line in lines), (s.scenario, s.fact, said)
    assert "viewBox=" in chart[0]  # it scales down to a page instead of being cut off
