"""``advisor explain`` of a case with contested facts: what it says of the case is the answers given,
never the reading the reasoning follows.

Each change of the sensitivity is judged over the readings (checked here against the engine run
anew on every reading), a contested fact changes from its plausible values ("low or high →
moderate"), and the precedents compare the plausible values.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from itertools import product
from pathlib import Path

import pytest

from advisor.cases import Case, load_file
from advisor.engine import advise, get_engine
from advisor.explain import explanation, sensitivity, sensitivity_over_readings
from advisor.facts import ASKED_FACTS, FactValue, as_known, fact_label, scales, show
from advisor.optional import applies
from advisor.render.explain import OVER_READINGS

from running import GOLDEN, contested_case, in_process

FLAT_TABLE_ROW = re.compile(r"^│ (?P<fact>.*?) +│ (?P<change>.*?) +│ (?P<outcome>.*?) +│ (?P<rule>\S*) +│$")


def load(path: Path) -> Case:
    """Return the one case of a case file."""
    return load_file(path)[0][0].case


def change_rows(text: str) -> list[tuple[str, str]]:
    """Return (fact label, change) for each row of the sensitivity table as shown, a fact's label
    carried down to the rows under it (a cell that wraps goes on its row's change)."""
    rows: list[tuple[str, str]] = []
    table = text.split("Single changes that alter the recommendation")[1].split("└")[0]
    for line in table.splitlines():
        found = FLAT_TABLE_ROW.match(line.strip())
        if found is None or found["fact"] == "fact":
            continue
        if found["fact"] or found["rule"]:
            fact = found["fact"] or rows[-1][0]
            rows.append((fact, found["change"]))
        else:  # the continuation of a wrapped cell
            rows[-1] = (rows[-1][0], f"{rows[-1][1]} {found['change']}".strip())
    return rows


@pytest.mark.parametrize("values", [["low", "high"], ["moderate", "existential"]])
def test_a_contested_answer_changes_from_its_values_in_the_terminal_and_the_json(
    tmp_path: Path, values: list[str]
) -> None:
    path = contested_case(tmp_path, threat_level=f"[{', '.join(values)}]")
    data = json.loads(in_process("explain", path, "--sensitivity", "--json").stdout)
    read = data["facts"]["threat_level"]  # the reading the reasoning follows
    assert data["contested"] == {"threat_level": values} and read in values
    flips = data["sensitivity"]["flips"]
    assert data["sensitivity"]["over_readings"] is True
    threat = [f for f in flips if f["fact"] == "threat_level"]
    assert threat, "setting the threat to one value changes the advice of a contested threat"
    assert all(f["from"] == values for f in threat)
    assert all(f["from"] == data["facts"][f["fact"]] for f in flips if f["fact"] != "threat_level")
    said = " or ".join(values)
    shown = in_process("explain", path, "--sensitivity", columns=140).stdout
    rows = change_rows(shown)
    assert len(rows) == len(flips)
    for (fact, change), flip in zip(rows, flips, strict=True):
        assert fact == fact_label(flip["fact"])
        answer = said if flip["fact"] == "threat_level" else show(flip["fact"], data["facts"][flip["fact"]])
        assert change == f"{answer} → {show(flip['fact'], flip['to'])}"
    # no row gives the reading's threat as the case's
    assert not [c for f, c in rows if f == "threat level" and c.startswith(f"{read} →")]
    assert OVER_READINGS in " ".join(shown.split())


def test_the_precedents_of_a_contested_case_compare_its_values(tmp_path: Path) -> None:
    path = contested_case(tmp_path, threat_level="[low, high]")
    data = json.loads(in_process("explain", path, "--json").stdout)
    read = data["facts"]["threat_level"]
    differences = [p["differences"] for p in data["precedents"]["precedents"]]
    threat = [d["threat_level"]["this_case"] for d in differences if "threat_level" in d]
    assert threat and all(value == ["low", "high"] for value in threat)
    shown = " ".join(in_process("explain", path, columns=200).stdout.replace("│", " ").split())
    assert "threat level: low|high →" in shown and f"threat level: {read} →" not in shown
    # the one-line sensitivity is judged over the readings too, and says so
    assert data["sensitivity"]["over_readings"] is True and OVER_READINGS in shown


@pytest.mark.parametrize(
    "given",
    [
        {"threat_level": "[low, high]", "entrapment_risk": "[low, high]"},
        {"threat_level": "[moderate, high]", "existing_ties": "[none, alliance]"},
        {"governance_alignment": "[medium, high]", "economic_interdependence": "unknown"},
    ],
)
def test_each_change_judged_over_the_readings_is_what_the_engine_gives_each_reading_anew(
    tmp_path: Path, given: dict[str, str]
) -> None:
    engine = get_engine()
    case = load(contested_case(tmp_path, **given))
    base = {k: v for k, v in as_known(case.facts).items() if k not in case.contested}
    data = json.loads(
        in_process("explain", contested_case(tmp_path, **given), "--sensitivity", "--json").stdout
    )
    assert data["recommendation"] == advise(case, engine=engine).outcome
    flips = {(f["fact"], f["to"]): f for f in data["sensitivity"]["flips"]}
    tried = 0
    for name in (n for n in ASKED_FACTS if applies(n, base)):  # the optional facts too
        for value in scales()[name].values:
            if name not in case.contested and base.get(name) == value:
                continue
            tried += 1
            others = {k: v for k, v in case.contested.items() if k != name}
            runs = [
                engine.run({**base, **dict(zip(others, reading, strict=True)), name: value})
                for reading in product(*others.values())
            ]
            counts = Counter(run.outcome for run in runs)
            most = max(counts.values())
            top = {o for o, n in counts.items() if n == most}
            flip = flips.pop((name, value), None)
            if flip is None:
                assert data["recommendation"] in top, (name, value, counts)
                continue
            assert flip["recommendation"] in top and (len(top) > 1 or data["recommendation"] not in top)
            rules = {run.deciding_rule for run in runs if run.outcome == flip["recommendation"]}
            assert flip["deciding_rule"] in rules
            assert flip["from"] == (list(case.contested[name]) if name in case.contested else base.get(name))
    assert not flips and data["sensitivity"]["tried"] == tried


def test_without_contested_facts_the_sensitivity_is_the_single_changes_of_the_facts() -> None:
    rec = advise(load(GOLDEN / "case.yaml"))
    assert not rec.contested
    assert sensitivity_over_readings(rec, get_engine()) == sensitivity(rec)
    assert "over_readings" not in explanation(rec, sensitivity=True).to_dict()["sensitivity"]


def test_a_flip_says_a_contested_facts_values_and_otherwise_its_value() -> None:
    facts = {**as_known(load(GOLDEN / "case.yaml").facts), "threat_level": ["low", "high"]}
    case = Case.model_validate({"parties": ["A", "B"], "facts": facts})
    rec = advise(case)
    analysis = sensitivity_over_readings(rec, get_engine())
    assert analysis.flips and analysis.over_readings
    for flip in analysis.flips:
        values: tuple[FactValue, ...] = case.contested.get(flip.change.fact, ())
        assert flip.change.given == values
        answer = (
            rec.contested_values(flip.change.fact) if values else show(flip.change.fact, flip.change.before)
        )
        assert flip.change.said_before() == answer


TWO = {"threat_level": "[low, high]", "entrapment_risk": "[low, high]"}


@pytest.mark.parametrize(
    ("setting", "changed"),
    [("existing_ties=none", {"existing_ties": "none"}), ("threat_level=high", {"threat_level": "high"})],
)
def test_what_if_on_a_contested_case_reasons_over_the_readings_of_the_facts_still_contested(
    tmp_path: Path, setting: str, changed: dict[str, str]
) -> None:
    path = contested_case(tmp_path, **TWO)
    case = load(path)
    facts = {**as_known(case.facts), **{k: list(v) for k, v in case.contested.items()}, **changed}
    expected = advise(Case.model_validate({"parties": case.parties, "facts": facts}))
    data = json.loads(in_process("explain", path, "--set", setting, "--sensitivity", "--json").stdout)
    after = data["what_if"]["after"]
    assert (after["recommendation"], after["readings"]) == (expected.outcome, expected.readings)
    assert data["what_if"]["before"]["readings"] == advise(case).readings
    assert data["contested"] == {k: list(v) for k, v in expected.contested.items()}
    assert data["sensitivity"]["over_readings"] is True
    [change] = data["what_if"]["changes"]
    name, value = next(iter(changed.items()))
    assert (change["fact"], change["to"]) == (name, value)
    if name in case.contested:  # changed from the values given, not from the reading followed
        assert (
            change["from"] == list(case.contested[name])
            and "rather than low or high" in data["what_if"]["sentence"]
        )
        shown = " ".join(in_process("explain", path, "--set", setting, columns=140).stdout.split())
        assert "│ threat level │ low or high │ high │" in shown and "After the changes, readings:" in shown


def test_setting_a_contested_fact_to_the_value_of_the_reading_followed_is_a_change(tmp_path: Path) -> None:
    path = contested_case(tmp_path, **TWO)
    read = advise(load(path)).facts["threat_level"]
    data = json.loads(in_process("explain", path, "--set", f"threat_level={read}", "--json").stdout)
    assert [c["from"] for c in data["what_if"]["changes"]] == [["low", "high"]]
    assert "Nothing changes" not in data["what_if"]["sentence"]


def test_why_not_on_a_contested_case_judges_its_change_over_the_readings(tmp_path: Path) -> None:
    path = contested_case(tmp_path, **TWO)
    rec = advise(load(path))
    read = show("threat_level", rec.facts["threat_level"])
    data = json.loads(in_process("explain", path, "--why-not", "alliance", "--json").stdout)
    answer = data["why_not"]
    assert "threat_level" in [c["fact"] for c in answer["changes"]], "the threat is what the search changes"
    assert [c["from"] for c in answer["changes"] if c["fact"] == "threat_level"] == [["low", "high"]]
    assert "rather than low or high" in answer["sentence"] and answer["over_readings"] is True
    assert answer["note"].startswith("Each change is judged over the readings of the contested facts")
    assert f"the reading the reasoning follows (threat level {read};" in answer["note"]
    # the change offered holds for the case as given: --set of it gives the target
    settings = [x for c in answer["changes"] for x in ("--set", f"{c['fact']}={c['to']}")]
    after = json.loads(in_process("explain", path, *settings, "--json").stdout)
    assert after["recommendation"] == "alliance" == answer["after"]["recommendation"]
    shown = " ".join(in_process("explain", path, "--why-not", "alliance", columns=200).stdout.split())
    assert answer["note"] in shown and answer["sentence"] in shown
    # the reading's threat is never said bare, as if it were the case's
    assert not re.search(r"threat level[^;()]*\(here:", shown)
    assert (
        f"threat level is at least high (in the reading followed: {read}; the answer: low or high)" in shown
    )


def test_how_marks_a_contested_facts_value_as_the_readings(tmp_path: Path) -> None:
    path = contested_case(tmp_path, threat_level="[moderate, high]")
    data = json.loads(in_process("explain", path, "--json").stdout)
    read = data["facts"]["threat_level"]
    marked = f"threat level is {read} in the reading followed (the answer: moderate or high)"
    assert marked in json.dumps(data["how"])
    shown = " ".join(in_process("explain", path, columns=200).stdout.replace("│", " ").split())
    assert marked in shown
    assert not re.search(r"threat level is \w+\b(?! in the reading followed)", shown)


def test_the_order_a_file_lists_contested_values_in_changes_nothing_but_the_echo(tmp_path: Path) -> None:
    """Readings are taken in scale order: [high, moderate] and [moderate, high] give the same advice,
    follow the same reading and explain it the same way; only the values echoed back keep the file's order."""
    one = contested_case(tmp_path, threat_level="[moderate, high]", value_alignment="[high, low]")
    text = one.read_text(encoding="utf-8")
    other = tmp_path / "reversed.yaml"
    other.write_text(
        text.replace("[moderate, high]", "[high, moderate]").replace("[high, low]", "[low, high]"),
        encoding="utf-8",
    )
    a, b = advise(load(one)), advise(load(other))
    assert a.contested["threat_level"] == ("moderate", "high") and b.contested["threat_level"] == (
        "high",
        "moderate",
    )
    assert (a.outcome, a.facts, a.beliefs, a.runner_up, a.readings) == (
        b.outcome,
        b.facts,
        b.beliefs,
        b.runner_up,
        b.readings,
    )
    assert [f.rule for f in a.trace] == [f.rule for f in b.trace]
