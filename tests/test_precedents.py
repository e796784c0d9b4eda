"""Precedents: the library's closest arrangements to a case, weighted by what matters to the rules."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from advisor.brief import precedents_markdown
from advisor.cases import Case
from advisor.facts import scales
from advisor.library import default_library_directory, load_library
from advisor.optional import applies
from advisor.outcomes import OUTCOME_IDS, label
from advisor.precedents import Precedents, agreement, fact_weights, precedents, similarity
from advisor.render.precedents import precedents_table, warning
from advisor.rulebase import load_knowledge_base

from running import contested_case, examples, in_process

LIBRARY = load_library()
BY_ID = {case.name: case for case in LIBRARY}
ROOT = Path(__file__).resolve().parent.parent
ORDERED = [name for name, scale in scales().items() if scale.ordered and len(scale.values) >= 3]


def make(
    case_id: str, expected: str, base: Case | None = None, title: str | None = None, **facts: Any
) -> Case:
    """A case for a synthetic library: the facts of ``base`` (NATO 1949 by default) with some changed."""
    base = base or BY_ID["nato-1949"]
    return Case.model_validate(
        {
            "id": case_id,
            "title": title if title is not None else f"Arrangement {case_id}",
            "parties": ["A", "B"],
            "year": 2000,
            "facts": {**dict(base.facts), **facts},
            "expected": expected,
        }
    )


# --- weights -------------------------------------------------------------------------------


def test_the_bundled_library_is_found_and_complete() -> None:
    assert default_library_directory().is_dir()
    assert len(LIBRARY) >= 150
    assert {case.expected for case in LIBRARY} == set(OUTCOME_IDS)


def test_weights_sum_to_one_and_every_fact_an_evidence_rule_reads_weighs_something() -> None:
    kb = load_knowledge_base()
    weights = fact_weights(kb)
    assert list(weights) == list(scales())  # every fact of the vocabulary, grouping included, in order
    assert math.isclose(sum(weights.values()), 1.0)
    assert all(w >= 0 for w in weights.values())
    read = {c.fact for rule in kb.of_kind("evidence") for r in kb.upstream([rule]) for c in r.facts}
    assert read, "the knowledge base has evidence rules on facts"
    for fact in read:
        assert weights[fact] > 0, fact
    assert fact_weights(kb) == weights == fact_weights()  # deterministic, and the default is the bundled base


# --- never the case itself -----------------------------------------------------------------


def test_no_library_case_is_its_own_precedent() -> None:
    for case in LIBRARY:
        found = precedents(case, k=3)
        assert len(found) == 3
        assert case.name not in [p.case for p in found], case.name


def test_a_copy_under_another_id_is_not_its_own_precedent_but_a_retitled_one_is() -> None:
    nato = BY_ID["nato-1949"]
    copy = nato.model_copy(update={"id": "my-nato"})
    assert "nato-1949" not in [p.case for p in precedents(copy, k=5)]
    retitled = nato.model_copy(update={"id": "my-nato", "title": "My own NATO"})
    first = precedents(retitled).items[0]
    assert (first.case, first.similarity, first.differ) == ("nato-1949", 1.0, ())
    assert "nato-1949" not in [p.case for p in precedents(dict(nato.facts), exclude="nato-1949", k=5)]


@pytest.mark.parametrize(
    ("case_id", "fact", "value"),
    [
        ("nato-1949", "threat_level", "existential"),
        ("us-vietnam-2023", "ratification_cost", "moderate"),
        ("china-russia-2019", "governance_alignment", "medium"),
        ("aukus-2021", "power_asymmetry", "moderate"),
    ],
)
def test_a_case_one_fact_away_from_a_library_case_finds_it_first(case_id: str, fact: str, value: str) -> None:
    original = BY_ID[case_id]
    query = original.model_copy(
        update={"id": "query", "facts": original.facts.model_copy(update={fact: value})}
    )
    found = precedents(query, k=3)
    first = found.items[0]
    assert first.case == case_id
    assert first.similarity > found.items[1].similarity
    assert [d.fact for d in first.differ] == [fact]
    assert (first.differ[0].query, first.differ[0].precedent) == (value, dict(original.facts)[fact])
    applying = [n for n in scales() if applies(n, dict(original.facts))]  # standing_commitment: groups only
    assert fact not in first.agree and len(first.agree) == len(applying) - 1


# --- similarity ----------------------------------------------------------------------------


@settings(max_examples=examples(60), deadline=None)
@given(case=st.sampled_from(LIBRARY), fact=st.sampled_from(ORDERED))
def test_similarity_is_one_for_identical_facts_and_falls_with_every_notch(case: Case, fact: str) -> None:
    facts = dict(case.facts)
    assert similarity(facts, case.facts) == 1.0
    scale = scales()[fact]
    here = scale.rank(facts[fact])
    for step in (-1, 1):
        previous = 1.0
        rank = here + step
        while 0 <= rank < len(scale.values):
            moved = similarity({**facts, fact: scale.values[rank]}, case.facts)
            assert 0 <= moved < previous
            previous, rank = moved, rank + step


def test_ordered_scales_give_partial_credit_and_others_all_or_nothing() -> None:
    assert agreement("threat_level", "high", "existential") == 0.75
    assert agreement("threat_level", "none", "existential") == 0.0
    assert agreement("shared_adversary", "partial", "full") == 0.5
    assert agreement("issue_scope", "security", "multi_sector") == 0.0
    assert agreement("rival_ties", True, False) == 0.0
    assert agreement("grouping", True, True) == 1.0
    assert agreement("threat_level", ["high", "existential"], "existential") == 0.875  # several readings


def test_an_unknown_fact_is_left_out_and_the_weights_renormalised() -> None:
    weights = fact_weights()
    nato = BY_ID["nato-1949"]
    facts = dict(nato.facts)
    other = BY_ID["us-japan-1960"]
    full = similarity(facts, other.facts)
    partial = {**facts, "threat_level": None}
    del partial["shared_adversary"]
    counted = {n: v for n, v in partial.items() if v is not None and applies(n, dict(other.facts))}
    assert "standing_commitment" not in counted  # a group's standing pact is not held against a pair
    by_hand = sum(weights[n] * agreement(n, v, dict(other.facts)[n]) for n, v in counted.items()) / sum(
        weights[n] for n in counted
    )
    assert similarity(partial, other.facts) == pytest.approx(by_hand)
    assert similarity(partial, other.facts) != full
    found = precedents(partial)
    assert all("threat_level" not in (*p.agree, *(d.fact for d in p.differ)) for p in found)
    assert precedents({}).items == () and precedents({}).lean is None


def test_ties_are_broken_by_id_and_k_is_respected() -> None:
    library = [make(i, "alliance") for i in ("c", "a", "b")]
    found = precedents(BY_ID["nato-1949"].facts, library=library, k=2)
    assert [p.case for p in found] == ["a", "b"]
    assert all(p.similarity == 1.0 for p in found)


# --- lean and warning ----------------------------------------------------------------------


def test_the_lean_is_the_similarity_weighted_majority() -> None:
    library = [
        make("near", "strategic"),  # identical: 1.0
        make("far-1", "alliance", threat_level="none", shared_adversary="none"),
        make("far-2", "alliance", threat_level="none", shared_adversary="none"),
    ]
    found = precedents(BY_ID["nato-1949"].facts, library=library, k=3)
    assert found.items[0].case == "near"
    far = found.items[1].similarity
    assert 2 * far > 1.0  # two far precedents outweigh one identical one
    assert found.lean == "alliance"
    assert precedents(BY_ID["nato-1949"].facts, library=library, k=1).lean == "strategic"


@pytest.mark.parametrize("case_id", ["nato-1949", "us-vietnam-2023", "aukus-2021"])
def test_the_warning_appears_exactly_when_the_lean_differs(case_id: str) -> None:
    found = precedents(BY_ID[case_id])
    assert found.lean in OUTCOME_IDS
    for outcome in OUTCOME_IDS:
        said = warning(found, outcome)
        assert found.disagrees_with(outcome) == (outcome != found.lean)
        assert (said is not None) == (outcome != found.lean)
        if said is not None:
            assert said.startswith(f"The rules recommend {label(outcome)}, but the closest precedents (")
            assert f"chose {label(found.lean)}: think hardest here." in said
            assert "\n" not in said
            for p in found:
                assert (p.case in said) == (p.chose == found.lean)
    assert warning(Precedents((), None), "alliance") is None


# --- rendering -----------------------------------------------------------------------------


def test_text_from_files_is_shown_literally_its_control_characters_escaped_visibly() -> None:
    title = "[bold red]Pact[/] \x1b[31mred\u202e\nnext"
    library = [make("[b]odd\x07[/b]", "coalition", title=title)]
    found = precedents(BY_ID["nato-1949"].facts, library=library, k=1)
    out = io.StringIO()
    Console(file=out, width=200, color_system=None).print(precedents_table(found, outcome="alliance"))
    text = out.getvalue()
    assert "[b]odd\\x07[/b]" in text and "[bold red]Pact[/] \\x1b[31mred\\u202e\\nnext" in text
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "closest precedents ([b]odd\\x07[/b]) chose" in " ".join(text.split())  # the warning too
    md = precedents_markdown(found, outcome="alliance")
    assert md.startswith("- **\\[b\\]odd\\\\x07\\[/b\\]**, \\[bold red\\]Pact\\[/\\] \\\\x1b\\[31m")
    assert "red\\\\u202e\\\\nnext (2000)" in md
    assert "\x1b" not in md and "\u202e" not in md and "think hardest here" in md


# --- the command ---------------------------------------------------------------------------


advisor = in_process


def test_the_command_prints_json_with_every_field() -> None:
    result = advisor("precedents", ROOT / "cases/library/aukus-2021.yaml", "--json", "--k", "2")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"case", "recommendation", "precedents", "lean", "disagrees"}
    assert data["case"] == "aukus-2021" and data["recommendation"] in OUTCOME_IDS
    assert len(data["precedents"]) == 2
    for item in data["precedents"]:
        assert set(item) == {"case", "title", "year", "chose", "similarity", "differences"}
        assert item["case"] != "aukus-2021" and item["chose"] in OUTCOME_IDS
        assert 0 <= item["similarity"] <= 1
        for fact, values in item["differences"].items():
            assert fact in scales() and set(values) == {"this_case", "precedent"}
    assert data["lean"] in OUTCOME_IDS
    assert data["disagrees"] == (data["lean"] != data["recommendation"])


def test_the_command_prints_the_table_and_the_warning_when_rules_and_precedents_differ() -> None:
    for case_id in ("us-vietnam-2023", "nato-1949"):
        # wide enough that every id stays whole (the table folds long ids on narrow screens)
        result = in_process("precedents", ROOT / f"cases/library/{case_id}.yaml", columns=130)
        assert result.exit_code == 0, result.stderr
        data = json.loads(advisor("precedents", ROOT / f"cases/library/{case_id}.yaml", "--json").stdout)
        assert "Closest precedents" in result.stdout
        assert all(p["case"] in result.stdout for p in data["precedents"])
        assert ("think hardest here" in " ".join(result.stdout.split())) == data["disagrees"]


def test_k_below_one_is_one_line_and_status_2() -> None:
    result = advisor("precedents", ROOT / "cases/library/nato-1949.yaml", "--k", "0")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "--k" in result.stderr


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        (None, "no such file"),
        ("facts: [\n", "invalid YAML"),
        ("id: x\nparties: [A, B]\nfacts: {threat_level: high}\n", "missing"),
        (
            yaml.safe_dump(
                {"id": "x", "facts": {**dict(BY_ID["nato-1949"].facts), "threat_level": "extreme"}}
            ),
            "'extreme' is not one of",
        ),
    ],
)
def test_a_bad_file_is_one_line_naming_it_and_status_2(tmp_path: Path, text: str | None, expect: str) -> None:
    path = tmp_path / "case.yaml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    result = advisor("precedents", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and expect in lines[0]


def test_a_contested_case_asks_with_its_plausible_values_and_leaves_an_unknown_fact_out(
    tmp_path: Path,
) -> None:
    from advisor.cases import load_file

    path = contested_case(tmp_path, threat_level="[moderate, high]", entrapment_risk="unknown")
    case = load_file(path)[0][0].case
    assert set(case.contested) == {"threat_level", "entrapment_risk"}
    query = {**case.facts.model_dump(), "threat_level": ["moderate", "high"]}
    del query["entrapment_risk"]
    assert precedents(case).to_dict(None) == precedents(query, exclude=case.id).to_dict(None)


def test_a_groups_standing_pact_neither_agrees_nor_differs_with_a_pair_precedent() -> None:
    """standing_commitment is not read for a pair: a group query is not marked down against a pair on it."""
    nato = dict(BY_ID["nato-1949"].facts)
    assert nato["grouping"] is True and nato["standing_commitment"] is True
    pair = BY_ID["us-japan-1960"]
    assert pair.facts.grouping is False
    loose = {**nato, "standing_commitment": False}
    assert similarity(nato, pair.facts) == similarity(loose, pair.facts)
    group = next(c for c in BY_ID.values() if c.facts.grouping and not c.facts.standing_commitment)
    assert similarity(nato, group.facts) < similarity(loose, group.facts)  # between groups it counts
    found = precedents(nato, exclude="nato-1949", k=len(BY_ID))
    for p in found:
        names = [d.fact for d in p.differ] + list(p.agree)
        assert ("standing_commitment" in names) == BY_ID[p.case].facts.grouping, p.case


def test_with_nothing_answered_no_case_is_closer_than_another_so_none_is_shown() -> None:
    """Every fact unknown: only grouping (read off the parties) is left, and it tells no case apart."""
    query = {name: None for name in scales() if name != "grouping"} | {"grouping": False}
    assert len(precedents(query)) == 0 and precedents(query).lean is None


def test_the_precedents_command_shows_the_case_s_names_escaped_as_advise_does(tmp_path: Path) -> None:
    data = yaml.safe_load(
        (Path(__file__).parent.parent / "cases" / "library" / "us-japan-1960.yaml").read_text()
    )
    data.update(id="x\x1b[31mred", parties=["A", "B\nadvisor: fake"])
    (tmp_path / "evil.json").write_text(json.dumps(data))
    result = in_process("precedents", tmp_path / "evil.json")
    assert result.exit_code == 0, result.stderr
    header = " ".join(result.stdout.split("The rules recommend")[0].split())
    assert header.startswith("x\\x1b[31mred · ") and "B\\nadvisor: fake" in header
    assert "\x1b" not in result.stdout


# --- every output of every command that shows precedents -------------------------------------------

HOSTILE_ID = "[bold red]x[/]\x1b[31m\u202e"
HOSTILE_TITLE = "Pact\x07\nadvisor: forged"


@pytest.fixture
def hostile_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled library, and two twins of the US-Japan case whose id and title hold markup and
    control characters, with another outcome: the closest precedents, named in the warning."""
    import shutil

    import advisor.library

    library = tmp_path / "library"
    shutil.copytree(default_library_directory(), library)
    data = yaml.safe_load((library / "us-japan-1960.yaml").read_text())
    for n in (1, 2):
        twin = {**data, "id": f"{HOSTILE_ID}{n}", "title": HOSTILE_TITLE, "expected": "coalition"}
        (library / f"twin{n}.json").write_text(json.dumps(twin))
    monkeypatch.setattr(advisor.library, "default_library_directory", lambda: library)
    return ROOT / "cases" / "library" / "us-japan-1960.yaml"


SHOWN_ID = "[bold red]x[/]\\x1b[31m\\u202e"


@pytest.mark.parametrize("command", ["precedents", "advise", "explain"])
def test_precedents_in_a_terminal_listing_are_escaped_visibly(hostile_library: Path, command: str) -> None:
    result = in_process(command, hostile_library, columns=200)
    assert result.exit_code == 0, result.stderr
    flat = " ".join(result.stdout.split())
    assert f"{SHOWN_ID}1" in flat and "Pact\\x07\\nadvisor: forged" in flat
    assert f"closest precedents ({SHOWN_ID}1, {SHOWN_ID}2) chose" in flat
    assert not any(c in result.stdout for c in "\x1b\x07\u202e")


@pytest.mark.parametrize("command", ["precedents", "advise", "explain"])
def test_precedents_in_json_keep_the_names_as_given(hostile_library: Path, command: str) -> None:
    result = in_process(command, hostile_library, "--json")
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    found = json.loads(result.stdout)["precedents"]
    items = found["precedents"] if isinstance(found, dict) else found
    assert {"case": f"{HOSTILE_ID}1", "title": HOSTILE_TITLE} == {k: items[0][k] for k in ("case", "title")}


@pytest.mark.parametrize("form", ["--markdown", "--html"])
def test_precedents_in_a_brief_are_escaped_visibly(hostile_library: Path, form: str, tmp_path: Path) -> None:
    out = tmp_path / ("brief.html" if form == "--html" else "brief.md")
    result = in_process("report", hostile_library, "-o", out)
    assert result.exit_code == 0, result.stderr
    text = out.read_text()
    assert not any(c in text for c in "\x1b\x07\u202e")
    assert "x1b" in text and "think hardest here" in text
    said = text.split("think hardest here")[0].rsplit("closest precedents", 1)[1]
    assert said.count("x1b") == 2, said  # both twins named in the warning, escaped, not dropped
