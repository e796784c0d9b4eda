"""`advisor report --set FACT=VALUE`: a what-if brief, marked as one, of the changed case throughout.

What the brief says of the changed case is checked against the brief of the case file edited so (the
same text, section for section), against `advise` on that file and against `explain --set`; the marks
(title, notice, What if section, facts table) against what was changed; a bad `--set` against
explain's one line, with no file written.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt

from advisor.brief import html as html_brief
from advisor.brief import markdown, md_text
from advisor.cases import Case, load_file
from advisor.commands.common import fact_settings
from advisor.engine import advise
from advisor.explain import parse_setting
from advisor.outcomes import label

from running import GOLDEN, ROOT, Balance, contested_case, in_process

LIBRARY = ROOT / "cases" / "library"
US_INDIA = LIBRARY / "us-india-2005.yaml"

# (the case's data, the --set options): one value, several facts, unknown, several values, a fact the
# file leaves out (its default), and a case with contested facts whose readings the change adds to.
SETTINGS: list[tuple[str, tuple[str, ...]]] = [
    ("us-india-2005", ("existing_ties=strategic",)),
    ("us-india-2005", ("threat_level=unknown",)),
    ("us-india-2005", ("threat_level=high", "ratification_cost=unknown")),
    ("nato-1949", ("threat_level=moderate,existential",)),
    ("us-japan-1960", ("threat_level=low", "value_alignment=low")),
    ("us-japan-1960", ("grouping=true", "standing_forum=true")),
    ("us-vietnam-2023", ("economic_interdependence=unknown",)),
    ("accra-initiative-2017", ("threat_level=none",)),
    ("contested", ("power_asymmetry=moderate,high",)),
    ("contested", ("governance_alignment=unknown", "value_alignment=low,high")),
]


def ident(value: Any) -> str:
    return value if isinstance(value, str) else "+".join(value)


def case_data(name: str) -> dict[str, Any]:
    """A library case's data; ``contested``: US-Japan 1960 with the threat moderate or high (the readings
    split) and the entrapment risk unknown, so that a fact set to several values is read among them."""
    path = LIBRARY / f"{'us-japan-1960' if name == 'contested' else name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    if name == "contested":
        data["facts"].update(threat_level=["moderate", "high"], entrapment_risk="unknown")
    return data


def written(folder: Path, data: dict[str, Any], stem: str) -> Path:
    path = folder / f"{stem}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def edited(data: dict[str, Any], settings: tuple[str, ...]) -> dict[str, Any]:
    """The case's data with each setting written into its facts as a case file gives it."""
    copy = json.loads(json.dumps(data))
    for text in settings:
        fact, typed = text.split("=")
        value = parse_setting(text)[1]
        copy["facts"][fact] = "unknown" if typed == "unknown" else list(value) if "," in typed else value
    return copy


def only_case(path: Path) -> Case:
    loaded, errors = load_file(path)
    assert not errors and len(loaded) == 1, errors
    return loaded[0].case


def section(text: str, start: str, end: str | None = None) -> str:
    assert start in text, start
    after = text.split(start, 1)[1]
    return after.split(end, 1)[0] if end else after


def unmarked_facts(text: str) -> str:
    """The Markdown facts section with the what-if's marks taken out."""
    facts = section(text, "\n## Facts\n", "\n## Recommendation\n")
    facts = re.sub(r"\*\*([a-z ]+)\*\* \*changed\*", r"\1", facts)
    facts = re.sub(r" \*\(what-if; the case file gives .*?\)\*", "", facts)
    return facts.replace("**Notes (the case file's, on the facts it gives):**", "**Notes:**")


@pytest.mark.parametrize(("name", "settings"), SETTINGS, ids=ident)
def test_the_what_if_brief_is_the_brief_of_the_case_file_edited_so(
    tmp_path: Path, name: str, settings: tuple[str, ...]
) -> None:
    data = case_data(name)
    case = only_case(written(tmp_path, data, "given"))
    edited_case = only_case(written(tmp_path, edited(data, settings), "edited"))
    changes = fact_settings(settings)
    what_if, plain = markdown(case, changes=changes), markdown(edited_case)
    # reasoning, cautions, why-not, sensitivity, precedents, sources and chain: word for word
    assert section(what_if, "\n## Recommendation\n") == section(plain, "\n## Recommendation\n")
    assert unmarked_facts(what_if) == unmarked_facts(plain)
    page, plain_page = html_brief(case, changes=changes), html_brief(edited_case)
    end = section(page, "<h2>Recommendation</h2>").replace(
        " was reached in this what-if</title>", " was reached</title>"
    )
    assert end == section(plain_page, "<h2>Recommendation</h2>")
    # the notice sets the case as given beside the changed case: advise on each file
    before, after = advise(case), advise(edited_case)
    notice = section(what_if, "\n> ", "\n\n")
    assert f"the case gives **{md(before.label)}** (`{before.deciding_rule}`)" in notice
    assert f"**{md(after.label)}** (`{after.deciding_rule}`)" in notice
    assert ("instead." in notice) == (before.outcome != after.outcome)


def md(text: str) -> str:
    return text.replace("_", "\\_")


@pytest.mark.parametrize(("name", "settings"), SETTINGS[:4] + SETTINGS[8:9], ids=ident)
def test_the_what_if_brief_recommends_what_explain_set_gives(
    tmp_path: Path, name: str, settings: tuple[str, ...]
) -> None:
    path = written(tmp_path, case_data(name), "given")
    options = [part for text in settings for part in ("--set", text)]
    explained = in_process("explain", path, *options, "--json")
    assert explained.exit_code == 0, explained.stderr
    after = json.loads(explained.stdout)["what_if"]["after"]
    result = in_process("report", path, *options, "-o", tmp_path / "brief.md")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "brief.md").read_text(encoding="utf-8")
    recommendation = section(text, "\n## Recommendation\n\n", "\n\n")
    assert recommendation.startswith(
        f"**{md(label(after['recommendation']))}** (`{after['recommendation']}`)"
    )
    assert f"**{md(after['label'])}** (`{after['deciding_rule']}`)" in section(text, "\n> ", "\n\n")
    strongest = re.search(r"Strongest reason: `([A-Z]+-\d+)`", text)
    assert strongest and strongest[1] == after["deciding_rule"]


# --- the marks ------------------------------------------------------------------------------------


def test_title_notice_and_section_mark_a_what_if_in_markdown_and_html() -> None:
    case = only_case(US_INDIA)
    changes = fact_settings(["threat_level=high", "existing_ties=strategic"])
    text = markdown(case, changes=changes)
    assert text.startswith(f"# What-if brief: {case.title}\n\n> **What if: not the case as filed.**")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    kinds = [t.type for t in tokens]
    assert kinds.index("blockquote_open") < kinds.index("heading_open", 1)  # the notice before any section
    notice = section(text, "\n> ", "\n\n")
    for said in (
        "threat level set to high (the case file gives moderate)",
        "existing ties set to strategic (the case file gives partnership)",
        "the case gives **Strategic Partnership** (`STR-01`); with the changes it gives "
        "**Comprehensive Strategic Partnership** (`CSP-02`) instead.",
    ):
        assert said in notice
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings[:2] == ["What if", "Facts"]
    table = section(text, "\n## What if\n", "\n## Facts\n")
    assert "| threat level | moderate | **high** |" in table
    assert "| The case as filed | **Strategic Partnership** | `STR-01` |" in table
    assert "| This what-if | **Comprehensive Strategic Partnership** | `CSP-02` |" in table
    page = html_brief(case, changes=changes)
    assert f"<title>What-if brief: {html.escape(case.title)}</title>" in page
    assert f'<h1>What-if brief: {html.escape(case.title)}</h1>\n<aside class="notice"' in page
    aside = section(page, '<aside class="notice" role="note">', "</aside>")
    assert "<strong>What if: not the case as filed.</strong>" in aside
    assert "threat level set to high (the case file gives moderate)" in aside
    assert "How Comprehensive Strategic Partnership was reached in this what-if" in page
    plain = markdown(case) + html_brief(case)
    assert "What-if" not in plain and "what-if" not in plain and "<aside" not in plain


def facts_rows(text: str) -> dict[str, str]:
    rows = section(text, "\n## Facts\n", "\n\n").splitlines()[2:]
    return {row.split(" | ")[0].removeprefix("| "): row for row in rows}


def test_the_facts_table_marks_each_changed_fact_and_only_those(tmp_path: Path) -> None:
    case = only_case(contested_case(tmp_path, threat_level="unknown", entrapment_risk="[low, moderate]"))
    settings = ["threat_level=high", "ratification_cost=unknown", "value_alignment=low,medium"]
    text = markdown(case, changes=fact_settings(settings))
    rows = facts_rows(text)
    marked = {name for name, row in rows.items() if "*changed*" in name or "what-if" in row}
    assert marked == {
        "**threat level** *changed*",
        "**ratification cost** *changed*",
        "**value alignment** *changed*",
    }
    assert rows["**threat level** *changed*"].startswith(
        "| **threat level** *changed* | **high** *(what-if; the case file gives unknown)* | a serious"
    )
    assert "| **low or moderate or high** *(what-if; the case file gives high)* | contested" in text
    assert "| **low or medium** *(what-if; the case file gives high)* | contested" in text
    assert rows["entrapment risk"].startswith("| entrapment risk | **low or moderate** | contested")
    notice = section(text, "\n> ", "\n\n")
    assert "threat level set to high (the case file gives unknown)" in notice
    assert "ratification cost set to unknown (the case file gives high)" in notice
    assert "value alignment set to low or medium (the case file gives high)" in notice
    page = html_brief(case, changes=fact_settings(settings))
    assert page.count("<em> changed</em>") == 3
    assert (
        "<td><strong>threat level</strong><em> changed</em></td><td><strong>high</strong><em> (what-if;"
        in page
    )


def test_a_fact_the_file_leaves_out_is_said_at_its_default_and_notes_are_the_files() -> None:
    case = only_case(LIBRARY / "us-japan-1960.yaml")
    text = markdown(case, changes=fact_settings(["grouping=true", "standing_forum=true"]))
    assert "standing forum set to true (the case file gives false (default: not given))" in text
    assert (
        "| standing commitment | **false (default: not given)** |" in text
    )  # not changed: still the default
    assert "**Notes (the case file's, on the facts it gives):**" in text


def test_a_what_if_that_changes_nothing_says_the_brief_is_of_the_case_as_filed() -> None:
    case = only_case(US_INDIA)
    text = markdown(case, changes=fact_settings(["threat_level=moderate"]))
    assert text.startswith(
        f"# What-if brief: {case.title}\n\n> **A what-if that changes nothing:** threat level is already "
        "moderate in the case file, so this brief is of the case as filed, which gives "
        "**Strategic Partnership**"
    )
    plain = markdown(case)
    assert unmarked_facts(text) == unmarked_facts(plain) and "*changed*" not in text
    assert section(text, "\n## Recommendation\n") == section(plain, "\n## Recommendation\n")


# --- names and text from files --------------------------------------------------------------------

EVIL = "<script>alert('x')</script> | `tick` **bold** [link](javascript:alert(1)) & #"
CONTROLS = "\x1b[2J\x1b]52;c;aGk=\x07\u202e\x9b31m"


def golden_case() -> Case:
    return only_case(GOLDEN / "case.yaml")


def hostile_case(text: str) -> Case:
    """The golden case with hostile text everywhere a case has text."""
    update = {"id": "id" + text, "title": text, "parties": [text, "B|C"], "notes": text, "sources": [text]}
    return golden_case().model_copy(update=update)


def raw(text: str) -> list[str]:
    """The terminal controls (C0 but newline, DEL, C1, bidirectional) left raw in text."""
    return sorted(
        f"U+{ord(c):04X}"
        for c in set(text)
        if (c < " " and c != "\n")
        or "\x7f" <= c <= "\x9f"
        or "\u202a" <= c <= "\u202e"
        or "\u2066" <= c <= "\u2069"
    )


def test_a_what_if_brief_escapes_markup_and_controls_from_the_file() -> None:
    changes = fact_settings(["threat_level=unknown", "rival_ties=true"])
    text = markdown(hostile_case(EVIL), changes=changes)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}
    assert not kinds & {"html_block", "html_inline", "link_open", "image"}
    assert text.startswith("# What-if brief: &lt;script&gt;")
    page = html_brief(hostile_case(EVIL), changes=changes)
    tags = Balance()  # every element opened is closed, in order
    tags.feed(page)
    tags.close()
    assert tags.stack == [] and "script" not in tags.tags and "aside" in tags.tags
    assert "<h1>What-if brief: &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    for write in (markdown, html_brief):
        assert raw(write(hostile_case("Title" + CONTROLS), changes=changes)) == []
    visible = md_text("Title\\x1b[2J\\x1b]52;c;aGk=\\x07\\u202e\\x9b31m")
    assert markdown(hostile_case("Title" + CONTROLS), changes=changes).startswith(
        f"# What-if brief: {visible}\n"
    )


# --- the command line -----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["md", "html"])
def test_report_set_writes_the_what_if_brief(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"brief.{suffix}"
    result = in_process("report", US_INDIA, "--set", "threat_level=high,existential", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote {out} ({'HTML' if suffix == 'html' else 'Markdown'}, a what-if)\n"
    write = html_brief if suffix == "html" else markdown
    expected = write(only_case(US_INDIA), changes={"threat_level": ("high", "existential")})
    assert out.read_text(encoding="utf-8") == expected
    assert "threat level set to high or existential (the case file gives moderate)" in expected


BAD = [
    "threat_level=bogus",
    "foo=1",
    "threat_level",
    "threat_level=high,high",
    "threat_level=unknown,high",
    "=high",
]


@pytest.mark.parametrize("typed", BAD)
@pytest.mark.parametrize("suffix", ["md", "html"])
def test_a_bad_set_is_explains_one_line_with_status_2_and_no_file(
    tmp_path: Path, typed: str, suffix: str
) -> None:
    explained = in_process("explain", US_INDIA, "--set", typed)
    out = tmp_path / f"brief.{suffix}"
    result = in_process("report", US_INDIA, "--set", "rival_ties=false", "--set", typed, "-o", out)
    assert result.exit_code == explained.exit_code == 2
    assert result.stderr == explained.stderr
    assert result.stderr.startswith(f"advisor: --set {typed}") and len(result.stderr.splitlines()) == 1
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []  # nor the brief, nor an empty or temporary file


def test_a_fact_set_twice_is_refused_as_explain_refuses_it(tmp_path: Path) -> None:
    twice = ("--set", "threat_level=high", "--set", "threat_level=low")
    result = in_process("report", US_INDIA, *twice, "-o", tmp_path / "brief.md")
    assert result.exit_code == 2 and result.stderr == in_process("explain", US_INDIA, *twice).stderr
    assert "given twice" in result.stderr and list(tmp_path.iterdir()) == []


def test_a_bad_set_leaves_an_existing_brief_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    out.write_text("the brief handed in\n", encoding="utf-8")
    result = in_process("report", US_INDIA, "--set", "threat_level=severe", "-o", out)
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "the brief handed in\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md"]


def test_report_help_shows_set_with_an_example() -> None:
    shown = " ".join(in_process("report", "-h").stdout.split())
    assert "--set FACT=VALUE" in shown and "VALUE may be unknown" in shown
    assert "advisor report cases/library/us-india-2005.yaml --set threat_level=high -o what-if.md" in shown


def test_the_golden_brief_is_unchanged_without_set() -> None:
    assert markdown(golden_case(), changes={}) == (GOLDEN / "brief.md").read_text(encoding="utf-8")
