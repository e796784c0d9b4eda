"""The README and docs/ name only what exists: rules of the knowledge base, keys of the JSON the
commands print, and files of the repository (no contract kept outside it)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from advisor.facts import scales
from advisor.rulebase import load_knowledge_base

from running import advisor

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
RULE_ID = re.compile(r"\b[A-Z]{3}-\d{2}\b")
NOT_RULES = {"UTF-16"}  # an encoding, not a rule
REVERTED = {"ALX-10"}  # rules tried and reverted: the README's history names them as such


def test_every_rule_id_the_docs_name_is_a_rule_of_the_knowledge_base() -> None:
    known = set(load_knowledge_base().by_id)
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        named = set(RULE_ID.findall(text)) - NOT_RULES
        for rule in named & REVERTED:
            assert "Reverted" in text[text.index(rule) : text.index(rule) + 1200], rule
        named -= REVERTED
        assert named <= known, f"{path.name} names rules that do not exist: {sorted(named - known)}"


def test_the_feedback_example_names_the_rule_the_real_feedback_names(tmp_path: Path) -> None:
    """docs/exercises.md's feedback JSON: us-india-2005 coded with existing_ties strategic."""
    import yaml

    pack = ROOT / "exercises" / "course"
    reference = yaml.safe_load((pack / "us-india-2005.yaml").read_text(encoding="utf-8"))["reference"]
    facts = {name: entry["value"] for name, entry in reference.items()}
    submission = tmp_path / "ada.yaml"
    facts["existing_ties"] = "strategic"
    submission.write_text(
        yaml.safe_dump(
            {"scenario": "us-india-2005", "student": "Ada Example", "facts": facts, "prediction": "strategic"}
        ),
        encoding="utf-8",
    )
    result = advisor("exercise", "feedback", str(submission), "--pack", str(pack), "--json")
    assert result.returncode == 0, result.stderr
    entry = next(f for f in json.loads(result.stdout)["facts"] if f["fact"] == "existing_ties")
    doc = (ROOT / "docs" / "exercises.md").read_text(encoding="utf-8")
    shown = re.search(r'"difference": \{"value": "strategic", "advice": "(\w+)", "rule": "([A-Z0-9-]+)"', doc)
    assert shown is not None
    assert (shown[1], shown[2]) == (entry["difference"]["advice"], entry["difference"]["rule"])


def test_the_docs_point_to_the_repository_not_to_a_contract_outside_it() -> None:
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        assert "FACTS.md" not in text, f"{path.name} cites FACTS.md, which is not in the repository"
        for link in re.findall(r"\]\(((?:\.\./|docs/|[\w-]+\.md)[^)#]*)", text):
            assert (path.parent / link).exists(), f"{path.name} links to {link}, which does not exist"


def test_the_code_points_to_the_repository_docs_not_to_a_contract_outside_it() -> None:
    # a clone has no ../shared: the code's docstrings name the repository's own docs
    citing = [p.name for p in (ROOT / "advisor").rglob("*.py") if "FACTS.md" in p.read_text(encoding="utf-8")]
    assert citing == [], f"these modules cite FACTS.md, which is not in the repository: {citing}"
    for doc in {"docs/case-format.md", "docs/exercises.md"}:
        assert (ROOT / doc).is_file()


def test_the_precedents_keys_the_docs_name_are_those_advise_prints() -> None:
    result = advisor("advise", str(ROOT / "cases" / "library" / "us-vietnam-2023.yaml"), "--json")
    keys = set(json.loads(result.stdout)["precedents"])
    doc = (ROOT / "docs" / "case-format.md").read_text(encoding="utf-8")
    bullet = doc[doc.index("- `precedents` holds") :].split("\n\n")[0]
    named = set(re.findall(r"`(\w+)`", bullet))
    assert named == keys, (named, keys)


def test_the_fact_tables_list_the_facts_in_the_advisors_order() -> None:
    doc = (ROOT / "docs" / "case-format.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \|", doc[doc.index("### The facts") : doc.index("## Outcomes")], re.M)
    assert rows == list(scales()), rows


def test_the_exit_statuses_the_readme_points_to_are_documented() -> None:
    doc = (ROOT / "docs" / "case-format.md").read_text(encoding="utf-8")
    assert "## Exit statuses" in doc and "docs/case-format.md#exit-statuses" in DOCS[0].read_text("utf-8")
    section = doc[doc.index("## Exit statuses") :].split("\n## ")[0]
    for status in ("`0`", "`1`", "`2`", "`130`", "`141`", "`70`"):
        assert status in section, status
