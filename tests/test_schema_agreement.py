"""The JSON Schema ``advisor schema`` publishes agrees with the advisor's own validation of case files.

Each case file below is read by the advisor (``advisor.cases.load_file``, as every command reads
one) and checked against the published schema by ``jsonschema``; both must say the same, valid
or invalid. The things JSON Schema cannot say are listed in BEYOND (and two cases with one id,
refused when the cases are run rather than read): there the advisor refuses, the schema accepts,
and the schema's description (and docs/case-format.md) says so.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from advisor.cases import load_file
from advisor.commands.schema import case_schema

from running import advisor

ROOT = Path(__file__).resolve().parent.parent
CASE = yaml.safe_load((ROOT / "cases" / "library" / "us-japan-1960.yaml").read_text(encoding="utf-8"))
GROUP = yaml.safe_load((ROOT / "cases" / "library" / "aukus-2021.yaml").read_text(encoding="utf-8"))
LEFT_OUT = object()


def case(**changes: Any) -> dict[str, Any]:
    """The US-Japan case with keys changed (LEFT_OUT removes one)."""
    data = copy.deepcopy(CASE)
    for key, value in changes.items():
        data.pop(key) if value is LEFT_OUT else data.__setitem__(key, value)
    return data


def facts(**changes: Any) -> dict[str, Any]:
    """The US-Japan case with facts changed (LEFT_OUT removes one)."""
    data = copy.deepcopy(CASE)
    for key, value in changes.items():
        data["facts"].pop(key) if value is LEFT_OUT else data["facts"].__setitem__(key, value)
    return data


VALID = {
    "a case": CASE,
    "a group": GROUP,
    "a list of cases": [CASE, GROUP],
    "no parties": case(parties=[]),
    "no optional key": {"facts": CASE["facts"]},
    "null optional keys": case(id=None, title=None, year=None, expected=None, notes=None),
    "a year before 0": case(year=-431),
    "the largest year": case(year=10**30 - 1),
    "an empty id": case(id=""),
    "a contested fact": facts(threat_level=["existential", "high"]),
    "an unknown fact": facts(value_alignment="unknown"),
    "a contested boolean": facts(rival_ties=[True, False]),
    "an optional fact": facts(standing_commitment=True),
    "grouping written": facts(grouping=False),
    "grouping unknown": facts(grouping="unknown"),
    "grouping contested": facts(grouping=[True, False]),
}
INVALID = {
    "an empty list of cases": [],
    "a list holding a number": [CASE, 3],
    "a year as text": case(year="2020"),
    "a year as a boolean": case(year=True),
    "a year of 31 digits": case(year=10**30),
    "one party": case(parties=["Japan"]),
    "a party named twice": case(parties=["Japan", "Japan"]),
    "a blank party": case(parties=["Japan", "  "]),
    "a party that is a number": case(parties=["Japan", 3]),
    "parties as null": case(parties=None),
    "a missing fact": facts(threat_level=LEFT_OUT),
    "an unknown fact name": facts(threat_levels="high"),
    "a value off the scale": facts(threat_level="severe"),
    "a boolean as text": facts(rival_ties="true"),
    "a contested fact of one value": facts(threat_level=["high"]),
    "a contested fact repeating a value": facts(threat_level=["high", "high"]),
    "unknown among contested values": facts(threat_level=["unknown", "high"]),
    "an unknown key": case(remarks="x"),
    "contested written": case(contested={}),
    "an id as a number": case(id=3),
    "an unknown outcome": case(expected="entente"),
    "sources as text": case(sources="https://example.org"),
    "notes as a number": case(notes=1),
    "no facts": case(facts=LEFT_OUT),
    "facts as a list": case(facts=[]),
}
# What JSON Schema cannot say: the advisor refuses these, the schema accepts them, and says so.
BEYOND = {
    "a party named twice up to case": (case(parties=["France", "france"]), "parties", "'france'"),
    "a party named twice up to blanks": (case(parties=["France", " France"]), "parties", "' France'"),
    "a year written 2020.0": (case(year=2020.0), "year", "2020.0"),
}


@pytest.fixture(scope="module")
def published() -> jsonschema.Draft202012Validator:
    """The schema as the command prints it, checked to be a valid 2020-12 schema."""
    result = advisor("schema")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema == json.loads(json.dumps(case_schema()))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def advisor_accepts(data: Any, tmp_path: Path, suffix: str) -> bool:
    """Return whether the advisor reads every case of the file holding ``data`` without an error."""
    path = tmp_path / f"case{suffix}"
    text = json.dumps(data) if suffix == ".json" else yaml.safe_dump(data, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    loaded, errors = load_file(path)
    return not errors and bool(loaded)


EVERY = {**{n: (d, True) for n, d in VALID.items()}, **{n: (d, False) for n, d in INVALID.items()}}


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
@pytest.mark.parametrize("name", list(EVERY))
def test_the_schema_and_the_advisor_agree(
    published: jsonschema.Draft202012Validator, tmp_path: Path, name: str, suffix: str
) -> None:
    data, valid = EVERY[name]
    assert advisor_accepts(data, tmp_path, suffix) is valid
    assert published.is_valid(data) is valid, list(published.iter_errors(data))[:1]


@pytest.mark.parametrize("name", list(BEYOND))
def test_what_json_schema_cannot_say_is_refused_by_the_advisor_and_documented(
    published: jsonschema.Draft202012Validator, tmp_path: Path, name: str
) -> None:
    data, field, shown = BEYOND[name]
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    loaded, errors = load_file(path)
    assert loaded == [] and f"{field}: " in errors[0].message and shown in errors[0].message
    assert published.is_valid(data)  # were it refused, the schema could move this to INVALID
    description = published.schema["$defs"]["Case"]["properties"][field]["description"]
    assert "the advisor refuses" in description, description
    docs = (ROOT / "docs" / "case-format.md").read_text(encoding="utf-8")
    assert "four things it cannot say, and the advisor" in docs
    assert ("[France, france]" if field == "parties" else "year: 2020.0") in docs


@pytest.mark.parametrize("command", ["evaluate", "advise"])
def test_two_cases_with_one_id_are_refused_by_the_advisor_and_documented(
    published: jsonschema.Draft202012Validator, tmp_path: Path, command: str
) -> None:
    data = [case(id="us-japan-1960"), case(id="us-japan-1960", title="Another")]
    path = tmp_path / "two.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert published.is_valid(data)  # JSON Schema cannot say "unique by one key"
    result = advisor(command, str(path), *(["--case", "us-japan-1960"] if command == "advise" else []))
    assert result.returncode == 2 and "duplicate case id 'us-japan-1960'" in result.stderr, result.stderr
    assert "two cases with the same id in one file" in published.schema["description"]
    docs = (ROOT / "docs" / "case-format.md").read_text(encoding="utf-8")
    assert "- two cases with the same id in one file" in docs


def test_every_library_case_is_valid_under_the_schema(published: jsonschema.Draft202012Validator) -> None:
    files = sorted((ROOT / "cases").rglob("*.yaml"))
    assert len(files) > 1000
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in files:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # a safe loader
        assert published.is_valid(data), (path, next(published.iter_errors(data)).message)
