"""The brief: golden Markdown and HTML, escaping of user text, a Mermaid block that parses.

Golden files: ``UPDATE_GOLDEN=1 uv run pytest tests/test_report.py`` rewrites
``tests/golden/brief.md`` and ``tests/golden/brief.html``; review the diff.

The Mermaid check is a validator written here for the flowchart subset the brief
emits (node declarations with quoted, entity-escaped labels in three shapes,
``-->`` edges, ``classDef`` and ``class`` lines), plus graph checks: every edge
joins declared nodes and every node leads to the outcome. No Mermaid parser
installs from PyPI without a browser or Node, so none is used. The Markdown is
parsed with markdown-it-py (installed with rich) to check tables, the fence and
the absence of raw HTML.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from markdown_it import MarkdownIt

from advisor.brief import About, chain_graph, markdown, md_text, mermaid, mermaid_label
from advisor.brief import html as html_brief
from advisor.cases import Case, load_file
from advisor.engine import Recommendation, advise
from advisor.explain import sensitivity
from advisor.outcomes import OUTCOMES, neighbours
from advisor.render.svg import _columns, chain_svg

from running import GOLDEN, Balance, advisor, check_golden, contested_case

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "cases" / "library"
CASE_FILE = GOLDEN / "case.yaml"
CASES = sorted((ROOT / "cases" / "library").glob("*.yaml"))


def golden_case() -> Case:
    return load_file(CASE_FILE)[0][0].case


def evil_case() -> Case:
    """The golden case with hostile user text everywhere a case has text."""
    evil = "<script>alert('x')</script> | `tick` **bold** [link](javascript:alert(1)) & #"
    return golden_case().model_copy(
        update={"id": evil, "title": evil, "parties": [evil, "B|C"], "notes": evil, "sources": [evil]}
    )


# --- a validator for the Mermaid flowchart subset the brief emits ------------------------------

IDENT = r"[A-Za-z][A-Za-z0-9_]*"
NODE = re.compile(rf'^(?P<id>{IDENT})(?P<open>\(\[|\[|\()"(?P<label>[^"]*)"(?P<close>\]\)|\]|\))$')
EDGE = re.compile(rf"^(?P<a>{IDENT}) --> (?P<b>{IDENT})$")
CLASSDEF = re.compile(r"^classDef (?P<name>[a-z]+) [a-z-]+:[#a-z0-9.-]+(,[a-z-]+:[#a-z0-9.-]+)*$")
CLASS = re.compile(rf"^class (?P<ids>{IDENT}(,{IDENT})*) (?P<name>[a-z]+)$")
SHAPES = {"[": "]", "(": ")", "([": "])"}
LABEL_SAFE = re.compile(r"^(?:[^\"<>`#]|#(?:\d+|[a-z]+);)*$")


def validate_mermaid(text: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Parse the flowchart subset; return nodes (id -> label) and edges, or fail naming the line."""
    lines = text.splitlines()
    assert lines[0] in ("flowchart LR", "flowchart TD"), lines[0]
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str]] = []
    defined, used = set(), set()
    for line in lines[1:]:
        assert line.startswith("    ") and not line[4:].startswith(" "), repr(line)
        body = line[4:]
        if m := NODE.match(body):
            assert SHAPES[m["open"]] == m["close"], body
            assert m["id"] not in nodes and m["id"].lower() != "end", body
            assert LABEL_SAFE.match(m["label"]), body
            nodes[m["id"]] = m["label"]
        elif m := EDGE.match(body):
            edges.append((m["a"], m["b"]))
        elif m := CLASSDEF.match(body):
            defined.add(m["name"])
        elif m := CLASS.match(body):
            used.add(m["name"])
            assert all(i in nodes for i in m["ids"].split(",")), body
        else:
            raise AssertionError(f"not in the flowchart subset: {body!r}")
    assert all(a in nodes and b in nodes for a, b in edges)
    assert used <= defined
    return nodes, edges


def check_diagram(rec: Recommendation) -> None:
    """The diagram parses, names every rule of the chain, and every node leads to the outcome."""
    nodes, edges = validate_mermaid(mermaid(rec))
    outcome = f"O_{rec.outcome}"
    assert nodes[outcome] == mermaid_label(rec.label)
    assert {f"R_{f.rule.replace('-', '_')}" for f in rec.chain()} <= set(nodes)
    reaches = {outcome}
    changed = True
    while changed:
        changed = False
        for a, b in edges:
            if b in reaches and a not in reaches:
                reaches.add(a)
                changed = True
    assert reaches == set(nodes)


@pytest.mark.slow
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_the_diagram_of_every_case_parses_and_leads_to_the_outcome(path: Path) -> None:
    loaded, errors = load_file(path)
    assert loaded and not errors
    for item in loaded:
        check_diagram(advise(item.case))


def test_the_validator_rejects_what_mermaid_would_not_take() -> None:
    good = 'flowchart LR\n    A["x"]\n    B("y")\n    A --> B'
    validate_mermaid(good)
    for bad in (
        'flowchart LR\n    A["x")',
        'flowchart LR\n    A["say "hi""]',
        'flowchart LR\n    A["<b>"]',
        'flowchart LR\n    A["x"]\n    A --> C',
        'flowchart LR\n    end["x"]',
        'flowchart LR\n    A["x"]\n    A -> A',
    ):
        with pytest.raises(AssertionError):
            validate_mermaid(bad)


def test_mermaid_labels_escape_quotes_brackets_backticks_and_hashes() -> None:
    label = mermaid_label('a "b" <c> `d` #e\nf')
    assert label == "a #quot;b#quot; #lt;c#gt; #96;d#96; #35;e f"
    assert LABEL_SAFE.match(label)


# --- Markdown -------------------------------------------------------------------------------------


def parsed(text: str) -> list:  # type: ignore[type-arg]
    return MarkdownIt("commonmark").enable("table").parse(text)


def test_the_markdown_brief_matches_the_golden_file() -> None:
    check_golden(GOLDEN / "brief.md", markdown(golden_case()))


def test_the_markdown_brief_has_every_section_and_one_mermaid_fence() -> None:
    case = golden_case()
    text = markdown(case)
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings == [
        "Facts",
        "Recommendation",
        "Cautions",
        "Why not the neighbouring outcomes",
        "Sensitivity",
        "Closest precedents",
        "Sources behind the rules used",
        "Inference chain",
    ]
    tokens = parsed(text)
    fences = [t for t in tokens if t.type == "fence"]
    assert [f.info for f in fences] == ["mermaid"]
    assert fences[0].content == mermaid(advise(case)) + "\n"
    for question in ("How costly would domestic ratification", "Does either side keep close ties"):
        assert question in text


def test_every_table_row_has_as_many_cells_as_its_header() -> None:
    tokens = parsed(markdown(evil_case()))
    tables, row = [], 0
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = 0
        elif token.type in ("th_open", "td_open"):
            row += 1
        elif token.type == "tr_close":
            tables[-1].append(row)
    assert len(tables) >= 2 and all(len(set(t)) == 1 and len(t) > 1 for t in tables)
    assert tables[0] == [4] * 14  # header + one row per fact (standing_commitment only for a group)


def test_user_text_is_shown_as_typed_never_as_markup() -> None:
    case = evil_case()
    text = markdown(case)
    tokens = parsed(text)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}
    assert not kinds & {"html_block", "html_inline", "link_open", "image", "code_inline_user"}
    assert "<script>" not in text
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    title = html.escape(f"Brief: {case.title}", quote=False)
    assert f"<h1>{title}</h1>" in rendered
    assert "<strong>bold</strong>" not in rendered and "<code>tick</code>" not in rendered


CONTROLS = "\x1b[2J\x1b]52;c;aGk=\x07\u202e\x9b31m"


def control_case() -> Case:
    """The golden case with terminal controls everywhere a case has text."""
    return golden_case().model_copy(
        update={
            "id": "id" + CONTROLS,
            "title": "Title" + CONTROLS,
            "parties": ["A" + CONTROLS, "B\u202eC"],
            "notes": "Notes" + CONTROLS,
            "sources": ["https://example.org/" + CONTROLS, "\u202esource"],
        }
    )


def raw(text: str) -> list[str]:
    """Return the terminal controls (C0 but newline, DEL, C1, bidirectional) left raw in text."""
    return sorted(
        {f"U+{ord(c):04X}" for c in text if (c < " " and c != "\n") or "\x7f" <= c <= "\x9f"}
        | {f"U+{ord(c):04X}" for c in text if "\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069"}
    )


@pytest.mark.parametrize("write", [markdown, html_brief], ids=["markdown", "html"])
def test_a_brief_shows_terminal_controls_escaped_never_raw(write: object) -> None:
    assert callable(write)
    text = write(control_case())
    assert raw(text) == []
    visible = "\\x1b[2J\\x1b]52;c;aGk=\\x07\\u202e\\x9b31m"
    if write is markdown:
        assert text.startswith("# Brief: Title" + md_text(visible) + "\n")
        assert "**Parties:** A" + md_text(visible) + ", B\\\\u202eC" in text
        assert "<https://example.org/" not in text  # an address with controls is not made a link
    else:
        assert f"<title>Brief: Title{html.escape(visible)}</title>" in text
        assert f"<h1>Brief: Title{html.escape(visible)}</h1>" in text
        assert "B\\u202eC" in text


def test_md_text_escapes_what_would_otherwise_format() -> None:
    escaped = r"a\|b \*c\* \_d\_ \`e\` \[f\](g) &lt;h&gt; &amp; \#i"
    assert md_text("a|b *c* _d_ `e` [f](g) <h> & #i") == escaped


def test_only_http_addresses_become_links() -> None:
    text = markdown(golden_case())
    assert "- <https://example.org/freedonia-sylvania>" in text
    assert "<javascript:" not in text and "- javascript:alert(1)" in text


# --- HTML -----------------------------------------------------------------------------------------


def test_the_html_brief_matches_the_golden_file() -> None:
    check_golden(GOLDEN / "brief.html", html_brief(golden_case()))


def test_the_html_brief_is_one_balanced_self_contained_page() -> None:
    page = html_brief(evil_case())
    checker = Balance()
    checker.feed(page)
    checker.close()
    assert checker.stack == []
    assert "script" not in checker.tags and "link" not in checker.tags and "style" in checker.tags
    for external in ("src=", "@import", "url(", "<link", "<script"):
        assert external not in page
    assert 'href="javascript' not in page
    diagram = re.search(r'<pre class="mermaid-source">(.*?)</pre>', page, re.S)
    assert diagram and html.unescape(diagram[1]) == mermaid(advise(evil_case()))
    svg = re.search(r'<figure class="chain">(<svg .*?</svg>)</figure>', page, re.S)
    assert svg, "the chain is drawn as inline SVG: it shows offline, without a script"
    ElementTree.fromstring(svg[1])  # well-formed XML, every piece of text escaped
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_a_brief_from_partial_facts_names_the_dyad_and_what_is_unknown() -> None:
    facts = {"threat_level": "high", "shared_adversary": "full", "ratification_cost": "high"}
    text = markdown(facts, about=About(title="A guided session", parties=("A", "B"), year=2030))
    assert text.startswith("# Brief: A guided session\n\n**Parties:** A, B · **Year:** 2030\n")
    assert "| value alignment | **unknown** | not known; the advisor reasoned without it |" in text
    validate_mermaid(mermaid(advise(facts)))


# --- what the brief says --------------------------------------------------------------------------


def test_neighbours_are_the_rungs_either_side_and_the_outcomes_one_change_away() -> None:
    rec = advise(golden_case())
    flips = {f.outcome for f in sensitivity(rec).flips}
    found = neighbours(rec.outcome, [*flips, rec.runner_up])
    rung = OUTCOMES[rec.outcome].rung
    assert rung is not None
    ladder = {o for o, v in OUTCOMES.items() if v.rung in (rung - 1, rung + 1)}
    assert ladder <= set(found)
    assert rec.runner_up in found
    assert all(o in ladder or o in flips or o == rec.runner_up for o in found)
    assert rec.outcome not in found


def test_the_sources_section_names_every_rule_used_with_its_passage() -> None:
    case = golden_case()
    rec = advise(case)
    section = markdown(case).split("## Sources behind the rules used")[1].split("## Inference chain")[0]
    for rule_id in [*(f.rule for f in rec.chain()), *(c.rule for c in rec.cautions)]:
        rule = rec.kb.rule(rule_id)
        assert f"`{rule_id}`" in section
        assert md_text(rule.source.passage) in section


# --- the command line -----------------------------------------------------------------------------


@pytest.mark.slow
def test_report_writes_markdown_and_html(tmp_path: Path) -> None:
    result = advisor("report", str(CASE_FILE), "-o", str(tmp_path / "brief.md"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "brief.md").read_text(encoding="utf-8") == markdown(golden_case())
    result = advisor("report", str(CASE_FILE), "-o", str(tmp_path / "brief.html"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "brief.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = advisor("report", str(CASE_FILE), "-o", "-", "--format", "html")
    assert result.returncode == 0 and result.stdout == html_brief(golden_case())


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--format", "pdf"), "md, html"),
        (("-o", "no/such/dir/brief.md"), "cannot write"),
        (("-o", "brief.pdf"), "-o brief.pdf: a brief is Markdown (.md) or HTML (.html)"),
        (("-o", "brief.txt"), "-o brief.txt: a brief is Markdown (.md) or HTML (.html)"),
        (("-o", "brief.md", "--format", "html"), "does not match"),
    ],
)
def test_report_refuses_bad_options_in_one_line_with_status_2(
    tmp_path: Path, args: tuple[str, ...], expected: str
) -> None:
    base = ["report", str(CASE_FILE)]
    if "-o" not in args:
        base += ["-o", str(tmp_path / "brief.md")]
    result = advisor(*base, *args, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0]
    assert not list(tmp_path.iterdir())  # nothing written


@pytest.mark.parametrize(
    ("name", "across"), [("golden", False), ("accra-initiative-2017", True), ("nato-1949", False)]
)
def test_the_svg_chain_draws_every_node_in_columns_from_facts_to_outcome(name: str, across: bool) -> None:
    """Facts to outcome: left to right for a chain of three columns or fewer, else top to bottom."""
    rec = advise(golden_case() if name == "golden" else load_file(LIBRARY / f"{name}.yaml")[0][0].case)
    nodes, edges = chain_graph(rec)
    svg = ElementTree.fromstring(chain_svg(nodes, edges, title="t"))
    space = "{http://www.w3.org/2000/svg}"
    groups = svg.findall(f"{space}g")
    assert len(groups) == len(nodes)
    shown = [" ".join(t.text or "" for t in g.findall(f"{space}text")) for g in groups]
    for (kind, text), words in zip(nodes.values(), shown, strict=True):
        assert " ".join(text.split()) == words, kind
    rects = {ident: g.find(f"{space}rect") for ident, g in zip(nodes, groups, strict=True)}
    assert across == (max(_columns(nodes, edges).values()) < 3)
    axis = "x" if across else "y"
    place = {ident: float(rect.get(axis) or 0) for ident, rect in rects.items() if rect is not None}
    for source, target in edges:
        assert place[source] < place[target]
    assert len(svg.findall(f"{space}path")) == len(edges)


@pytest.mark.parametrize(
    "name", ["anzus-1951", "nato-1949", "gcc-joint-defence-2000", "japan-uk-2023", "dense"]
)
def test_an_arrow_past_rows_goes_down_a_lane_clear_of_their_boxes(name: str) -> None:
    """Top to bottom, an arrow that passes rows runs straight down between or beside their boxes,
    never through one, and never swings out further than the nearest clear lane."""
    if name == "dense":  # five boxes a rank (two lines each), every box linked to each of the next rank
        nodes = {
            f"n{i}_{j}": ("rule", f"RUL-{i}{j}: a title long enough to wrap")
            for i in range(5)
            for j in range(5)
        }
        edges = [(f"n{i}_{j}", f"n{i + 1}_{k}") for i in range(4) for j in range(5) for k in range(5)]
    else:
        nodes, edges = chain_graph(advise(load_file(LIBRARY / f"{name}.yaml")[0][0].case))
    svg = ElementTree.fromstring(chain_svg(nodes, edges, title="t"))
    space = "{http://www.w3.org/2000/svg}"
    rects = [
        (
            float(r.get("x") or 0),
            float(r.get("y") or 0),
            float(r.get("width") or 0),
            float(r.get("height") or 0),
        )
        for r in svg.iter(f"{space}rect")
    ]
    lanes = 0
    for path in svg.iter(f"{space}path"):
        d = path.get("d") or ""
        if " L " not in d:
            continue
        lanes += 1
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
        sx, ex = numbers[0], numbers[-2]
        lane, top, bottom = numbers[6], numbers[7], numbers[9]
        assert numbers[8] == lane  # straight down
        for x, y, w, h in rects:
            if top <= y and y + h <= bottom:  # a box of a row passed
                assert not x - 1 < lane < x + w + 1, (d, (x, y, w, h))
        assert 10 <= lane <= float(svg.get("width") or 0) - 10, d  # inside the drawing
        if name != "dense":  # a clear lane is found near the ends, not at the edge of the page
            assert min(sx, ex) - 60 <= lane <= max(sx, ex) + 250, d
    assert lanes > 0


def test_a_contested_fact_is_shown_as_contested_and_the_readings_are_said(tmp_path: Path) -> None:
    case = load_file(contested_case(tmp_path, threat_level="[moderate, high]"))[0][0].case
    rec = advise(case)
    text = markdown(case)
    assert "| threat level | **moderate or high** | contested: the advisor reasoned over each value" in text
    assert "**Readings:** robust: the same advice over every reading of threat level (Alliance 100%)" in text
    assert f"follows one reading that gives this advice: threat level {rec.facts['threat_level']}." in text
    plain = markdown(load_file(ROOT / "cases" / "library" / "us-japan-1960.yaml")[0][0].case)
    assert "Readings" not in plain and "contested" not in plain
