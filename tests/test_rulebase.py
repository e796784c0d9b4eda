"""Loading the knowledge base: the bundled one is sound and sourced; bad rule files are explained."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from advisor.rulebase import KnowledgeBase, RuleBaseError, load_knowledge_base, parse_condition

ROOT = Path(__file__).resolve().parent.parent


# --- hostile rule files (issue 10): each test adds a file of its own, whatever the bundled rules are


def extra_rule(
    rules: Path, *, title: str = "An extra rule", facts: str = "threat_level: high", rationale: str = "Extra."
) -> Path:
    """Add a rule file with one signal rule to a rules directory; return its path."""
    path = rules / "99-extra.yaml"
    path.write_text(
        "rules:\n"
        "  - id: ZZZ-01\n"
        f"    title: {title}\n"
        "    when:\n"
        "      facts:\n"
        f"        {facts}\n"
        "    then:\n"
        "      signal: balancing_need\n"
        f"    rationale: {rationale}\n"
        "    source: {cite: a test, passage: a test}\n"
    )
    return path


def test_non_string_keys_in_a_condition_are_reported_with_file_and_line(rules_copy: Path) -> None:
    path = extra_rule(rules_copy, facts="threat_level: {1: low, foo: high}")
    found = problems(rules_copy)
    assert any(p.startswith(f"{path}:6: rule ZZZ-01: threat_level: unknown test '1'") for p in found), found


def test_a_priority_too_long_to_be_a_number_is_reported(rules_copy: Path) -> None:
    path = extra_rule(rules_copy, rationale="9" * 5001)  # as a priority or a certainty factor would be
    found = problems(rules_copy)
    assert any(p.startswith(f"{path}: line 9: a number of 5001 digits") for p in found), found


def test_a_fifo_among_the_rule_files_is_reported_not_waited_on(rules_copy: Path) -> None:
    os.mkfifo(rules_copy / "99-fifo.yaml")
    assert f"{rules_copy / '99-fifo.yaml'}: not a regular file (a FIFO)" in problems(rules_copy)


def test_a_rule_title_is_one_line(rules_copy: Path) -> None:
    path = extra_rule(rules_copy, title='"An extra\\n Accuracy: 41/41 (100%)"')
    assert load_knowledge_base(rules_copy).rule("ZZZ-01").title == "An extra Accuracy: 41/41 (100%)"
    assert path.is_file()


def test_the_bundled_knowledge_base_loads_with_every_kind_of_rule() -> None:
    kb = load_knowledge_base()
    kinds = {r.kind for r in kb.rules}
    assert kinds == {"signal", "evidence", "caution", "combine"}
    assert 30 <= len(kb.rules) <= 100
    assert {o for r in kb.rules if (r.cf or 0) > 0 for o in r.outcomes} == {
        "alliance",
        "partnership",
        "strategic",
        "comprehensive",
        "coordination",
        "coalition",
    }


def test_every_passage_is_quoted_verbatim_from_its_seed(shared: Path) -> None:
    kb = load_knowledge_base()
    for seed_id, seed in kb.seeds.items():
        assert (shared / "seeds" / seed.file).is_file(), seed_id
    texts = {k: " ".join((shared / "seeds" / s.file).read_text().split()) for k, s in kb.seeds.items()}
    for rule in kb.rules:
        assert rule.source.seed in texts, rule.id
        assert rule.source.passage in texts[rule.source.seed], rule.id


def test_signals_are_chained_at_least_two_deep() -> None:
    kb = load_knowledge_base()
    derived = {r.declares for r in kb.rules if r.kind == "signal" and r.signals}
    assert derived, "some signals must be concluded from other signals"
    assert any(set(r.signals) & derived for r in kb.rules if r.kind == "evidence"), (
        "some evidence must rest on derived signals"
    )


def test_every_certainty_factor_is_a_reason_not_a_verdict() -> None:
    kb = load_knowledge_base()
    factors = [r.cf for r in kb.of_kind("evidence")]
    assert factors and all(f is not None and 0 < abs(f) <= 0.95 for f in factors)
    assert any(f < 0 for f in factors if f is not None), "criticisms and risks weigh against outcomes"


def library_names() -> set[str]:
    """Return every party and case id of the case library."""
    from advisor.cases import load_file

    names: set[str] = set()
    for path in sorted((ROOT / "cases" / "library").glob("*.yaml")):
        for item in load_file(path)[0]:
            names.update(p for p in item.case.parties if len(p) > 2)
            names.add(item.case.name)
    assert len(names) > 100
    return names


def named(kb: KnowledgeBase, names: set[str]) -> list[tuple[str, str]]:
    """Return (where, what) for every party, case id or year a rule's own words or a signal's meaning name.

    Its own words: title, rationale, caution and conditions; only the verbatim seed passages
    may quote the seeds' own examples. A name counts as a prefix too (India in Indian).
    """
    texts = [
        (rule.id, " ".join([rule.title, rule.rationale, rule.caution or "", *(c.text for c in rule.facts)]))
        for rule in kb.rules
    ]
    texts += [(f"signal {name}", meaning) for name, meaning in kb.signals.items()]
    pattern = re.compile(r"\b(?:(?:1[89]|20)\d\d\b|" + "|".join(map(re.escape, sorted(names))) + ")")
    return [(where, m.group()) for where, text in texts for m in pattern.finditer(text)]


def test_no_rule_names_a_party_a_case_or_a_year() -> None:
    assert named(load_knowledge_base(), library_names()) == []


def test_a_rule_naming_a_party_or_a_year_is_caught(rules_copy: Path) -> None:
    extra_rule(rules_copy, title="Indian resolve", rationale="Since 1947 the United States has hedged.")
    edit(rules_copy / "30-ties.yaml", "diverge.\n", "diverge, as with us-india-2005.\n")
    found = named(load_knowledge_base(rules_copy), library_names())
    assert sorted(found) == [
        ("ZZZ-01", "1947"),
        ("ZZZ-01", "India"),
        ("ZZZ-01", "United States"),
        ("signal value_gap", "us-india-2005"),
    ]


@pytest.mark.parametrize(
    ("spec", "values"),
    [
        ("high", ("high",)),
        (["low", "high"], ("low", "high")),
        ({"at_least": "high"}, ("high", "existential")),
        ({"at_most": "low"}, ("none", "low")),
        ({"not": "none"}, ("low", "moderate", "high", "existential")),
        ({"at_least": "low", "at_most": "moderate"}, ("low", "moderate")),
    ],
)
def test_conditions_translate_to_the_values_they_allow(spec: object, values: tuple[str, ...]) -> None:
    assert parse_condition("threat_level", spec).values == values


@pytest.mark.parametrize(
    ("fact", "spec", "message"),
    [
        ("threat", "high", "unknown fact 'threat'"),
        ("threat_level", "severe", "'severe' is not one of none, low, moderate, high, existential"),
        ("rival_ties", "yes", "'yes' is not a boolean; write true or false"),
        ("issue_scope", {"at_least": "security"}, "needs an ordered scale"),
        ("threat_level", {"above": "low"}, "unknown test 'above'"),
        ("threat_level", {"at_least": "high", "at_most": "low"}, "can never match"),
        ("threat_level", [], "empty list"),
    ],
)
def test_bad_conditions_are_refused(fact: str, spec: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_condition(fact, spec)


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled rules to break."""
    target = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", target)
    return target


def problems(directory: Path) -> list[str]:
    with pytest.raises(RuleBaseError) as info:
        load_knowledge_base(directory)
    return info.value.problems


def assert_reported(found: list[str], *messages: str) -> None:
    """Assert that, for each message, one of the problems found says it."""
    for message in messages:
        assert any(message in p for p in found), (message, found)


def problems_after(path: Path, old: str, new: str) -> list[str]:
    """Edit one rule file of a copy, and return the problems found loading the copy."""
    edit(path, old, new)
    return problems(path.parent)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_value_off_the_scale_is_reported_with_file_and_line(rules_copy: Path) -> None:
    path = rules_copy / "10-threat.yaml"
    edit(path, "threat_level: {at_least: moderate}", "threat_level: {at_least: severe}")
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "at_least: severe" in t)
    found = problems(rules_copy)
    assert any(p.startswith(f"{path}:{line}: rule THR-01: threat_level: 'severe'") for p in found), found


def test_duplicate_ids_name_both_places(rules_copy: Path) -> None:
    found = problems_after(rules_copy / "30-ties.yaml", "id: SCO-01", "id: THR-01")
    assert any("duplicate rule id THR-01" in p and "10-threat.yaml" in p for p in found), found


def test_an_unknown_signal_and_an_unused_one_are_reported(rules_copy: Path) -> None:
    found = problems_after(rules_copy / "40-evidence.yaml", "signals: [status_motive]", "signals: [status]")
    assert_reported(
        found, "rule STR-06: unknown signal 'status'", "signal status_motive is declared but no rule uses it"
    )


def test_a_broken_rule_does_not_cascade_into_reports_about_its_signal(rules_copy: Path) -> None:
    found = problems_after(rules_copy / "10-threat.yaml", "{at_least: moderate}", "{at_least: severe}")
    assert len(found) == 1, found


def test_a_certainty_factor_out_of_range_and_unknown_keys_are_reported(rules_copy: Path) -> None:
    edit(rules_copy / "40-evidence.yaml", "cf: 0.55", "cf: 1.5")
    found = problems_after(
        rules_copy / "50-cautions.yaml", "title: Asymmetric dependency", "title: x\n    colour: red"
    )
    assert_reported(
        found,
        "rule ALL-01: evidence needs a certainty factor cf between -0.95 and 0.95, other than 0 (got 1.5)",
    )
    assert_reported(found, ": rule CAU-01: colour: unknown key")


def test_a_rule_file_with_python_in_it_is_data_not_code(rules_copy: Path) -> None:
    (rules_copy / "60-evil.yaml").write_text("rules: !!python/object/apply:os.system ['touch x']\n")
    assert_reported(problems(rules_copy), "60-evil.yaml: line 1: the tag")


@pytest.mark.parametrize(
    ("file", "old", "new", "messages"),
    [
        pytest.param(
            "30-ties.yaml",
            "  value_gap: Their regimes and values diverge.\n",
            "  value_gap: Their regimes and values diverge.\n  orphan: Nobody declares me.\n",
            ["signal orphan is never declared"],
            id="a signal nobody declares",
        ),
        pytest.param(
            "40-evidence.yaml",
            "      evidence: alliance\n      cf: 0.55",
            "      propose: alliance\n      priority: 90",
            ["rule ALL-01: propose/priority/resolve were replaced in 0.2 by evidence"],
            id="a rule for the retired priority policy says what replaced it",
        ),
        pytest.param(
            "40-evidence.yaml",
            "      evidence: coalition\n      cf: 0.6",
            "      evidence: league",
            ["'league' is not an outcome id", "evidence needs a certainty factor"],
            id="evidence without a factor and a bad outcome",
        ),
    ],
)
def test_a_broken_rule_file_is_reported(
    rules_copy: Path, file: str, old: str, new: str, messages: list[str]
) -> None:
    assert_reported(problems_after(rules_copy / file, old, new), *messages)


def test_a_negation_cycle_is_found_when_loading_and_names_its_rules(rules_copy: Path) -> None:
    edit(
        rules_copy / "20-restraints.yaml",
        "      signals: [autonomy_preference]\n",
        "      signals: [autonomy_preference]\n      without: [quasi_alliance]\n",
    )
    (found,) = problems(rules_copy)
    assert "negate signals in a cycle" in found
    assert "HED-03 (" in found and "QUA-01 (" in found and "20-restraints.yaml:" in found
    assert "PAX-03" not in found  # downstream of the cycle, not on it


# --- each rule is validated on its own (issue 12): one bad rule, one error, no knock-on


def line_of(path: Path, text: str, after: str = "") -> int:
    """Return the number of the first line holding ``text`` after the first line holding ``after``."""
    lines = path.read_text().splitlines()
    start = next(i for i, t in enumerate(lines) if after in t)
    return next(i for i, t in enumerate(lines[start:], start + 1) if text in t)


def test_an_unquoted_seed_rejects_its_rule_alone_named_by_id_without_knock_on(rules_copy: Path) -> None:
    path = rules_copy / "10-threat.yaml"
    text = path.read_text()
    at = text.index("id: THR-02")
    path.write_text(text[:at] + text[at:].replace('seed: "001"', "seed: 001", 1))
    line = line_of(path, "seed: 001", after="id: THR-02")
    expected = f"{path}:{line}: rule THR-02: source.seed: Input should be a valid string"
    assert problems(rules_copy) == [expected]


def test_the_other_rules_of_a_file_with_a_bad_rule_are_still_cross_checked(rules_copy: Path) -> None:
    path = rules_copy / "10-threat.yaml"
    text = path.read_text()
    at = text.index("id: THR-02")
    text = text[:at] + text[at:].replace("    rationale: >\n", "    rationale: 7\n    colour: red\n", 1)
    path.write_text(text.replace("signal: existential_threat", "signal: existential", 1))
    found = problems(rules_copy)
    assert found[:2] == [
        f"{path}:{line_of(path, 'rationale: 7', after='id: THR-02')}: rule THR-02: rationale: "
        "Input should be a valid string",
        f"{path}:{line_of(path, 'colour: red')}: rule THR-02: colour: unknown key",
    ], found
    assert any("rule THR-03: unknown signal 'existential'" in p for p in found), found
    assert not any("credible_commitment_needed" in p for p in found), found


def test_a_rule_without_a_usable_id_is_named_by_its_place(rules_copy: Path) -> None:
    path = extra_rule(rules_copy)
    path.write_text(path.read_text().replace("id: ZZZ-01", "id: [1]"))
    assert problems(rules_copy) == [f"{path}:2: rule 1 of the file: id: Input should be a valid string"]


def test_a_bad_sources_section_does_not_make_every_seed_unknown(rules_copy: Path) -> None:
    path = rules_copy / "00-policy.yaml"
    edit(path, "    title: Burden-sharing and conditional commitments", "    title: 2")
    line = line_of(path, "title: 2")
    assert problems(rules_copy) == [f"{path}:{line}: sources.002.title: Input should be a valid string"]


# --- the rule files say each scale's order, as advisor.facts defines it


def test_the_policy_file_header_gives_each_scale_in_the_order_of_advisor_facts() -> None:
    from advisor.facts import scales

    header = [
        line.removeprefix("#").strip()
        for line in (ROOT / "rules" / "00-policy.yaml").read_text().splitlines()
        if line.startswith("#")
    ]
    start = header.index("The scales, low to high (at_least / at_most follow this order):")
    said: dict[str, str] = {}
    for line in header[start + 1 :]:
        if ":" not in line or line.startswith("("):
            break
        names, _, order = line.partition(":")
        for name in names.split(","):
            said[name.strip()] = " ".join(order.split())
    expected = {}
    for name, scale in scales().items():
        shown = [scale.show(v) for v in scale.values]
        expected[name] = " < ".join(shown) if scale.ordered else ", ".join(shown) + " (not ordered)"
    assert said == expected
    assert not any("priority" in line.lower() for line in header), "the priorities were retired in 0.2"
