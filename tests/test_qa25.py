"""QA25: today's changes used as a demanding user would: the what-if brief (`report --set`), the
lanes of the HTML chain's arrows, `rules check --seeds`, `rules list`.

Each test failed on the code before the fix it pins (the defect list is in CHANGELOG.md, QA25).
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml

from advisor.brief import html as html_brief
from advisor.brief import markdown
from advisor.brief.mermaid import chain_graph
from advisor.cases import Case, load_file
from advisor.commands.common import fact_settings
from advisor.engine import advise
from advisor.explain import what_if
from advisor.facts import ALL_FACTS
from advisor.render.svg import chain_svg
from advisor.rulebase import check_knowledge_base

from running import ROOT, in_process

LIBRARY = ROOT / "cases" / "library"
SVG = "{http://www.w3.org/2000/svg}"


def only_case(path: Path) -> Case:
    loaded, errors = load_file(path)
    assert not errors and len(loaded) == 1, errors
    return loaded[0].case


# --- the chain's arrows ---------------------------------------------------------------------------

Point = tuple[float, float]


def sampled(d: str) -> list[Point]:
    """Points along an SVG path of M, L and C commands, 40 a segment."""
    tokens = re.findall(r"[MLC]|-?\d+(?:\.\d+)?", d)
    points: list[Point] = []
    here: Point = (0.0, 0.0)
    i = 0
    while i < len(tokens):
        numbers = [float(n) for n in tokens[i + 1 : i + (7 if tokens[i] == "C" else 3)]]
        ends = [(numbers[j], numbers[j + 1]) for j in range(0, len(numbers), 2)]
        if tokens[i] == "M":
            points.append(ends[0])
        for k in range(1, 41) if tokens[i] != "M" else ():
            t = k / 40
            if tokens[i] == "L":
                points.append((here[0] + (ends[0][0] - here[0]) * t, here[1] + (ends[0][1] - here[1]) * t))
            else:
                w = ((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t**3)
                p = [here, *ends]
                points.append((sum(w[j] * p[j][0] for j in range(4)), sum(w[j] * p[j][1] for j in range(4))))
        here = ends[-1]
        i += 7 if tokens[i] == "C" else 3
    return points


def arrow_problems(nodes: dict[str, tuple[str, str]], edges: list[tuple[str, str]]) -> list[str]:
    """What is wrong with the drawing: an arrow through a box other than its own two, an arrow outside
    the drawing, two arrows with no end in common drawn over one another."""
    svg = ElementTree.fromstring(chain_svg(nodes, edges, title="t"))
    width, height = float(svg.get("width") or 0), float(svg.get("height") or 0)
    boxes = [
        tuple(float(r.get(k) or 0) for k in ("x", "y", "width", "height")) for r in svg.iter(f"{SVG}rect")
    ]
    paths = [sampled(p.get("d") or "") for p in svg.iter(f"{SVG}path")]
    found = []
    for n, points in enumerate(paths):
        ends = [b for b in boxes for p in (points[0], points[-1]) if _on(p, b, 1)]
        for box in boxes:
            if box not in ends and any(_on(p, box, -1) for p in points):
                found.append(f"arrow {edges[n]} crosses the box at {box}")
        if any(not (0 <= x <= width and 0 <= y <= height) for x, y in points):
            found.append(f"arrow {edges[n]} leaves the drawing")
    for a in range(len(paths)):
        for b in range(a + 1, len(paths)):
            if paths[a][0] == paths[b][0] or paths[a][-1] == paths[b][-1]:
                continue  # from one box, or into one: they part or meet as branches do
            near = [any(abs(p[0] - q[0]) < 2 and abs(p[1] - q[1]) < 2 for q in paths[b]) for p in paths[a]]
            if sum(near) > 15:
                found.append(f"arrows {edges[a]} and {edges[b]} run together")
    return found


def _on(point: Point, box: tuple[float, ...], margin: float) -> bool:
    x, y, w, h = box
    return x - margin <= point[0] <= x + w + margin and y - margin <= point[1] <= y + h + margin


@pytest.mark.parametrize("name", ["egypt-syria-1955", "east-germany-soviet-union-1964", "us-india-2005"])
def test_an_arrow_leaves_its_row_before_it_turns_and_crosses_no_taller_box_beside_its_own(name: str) -> None:
    """With the threat unknown, its fact's box is four lines tall between two one-line boxes: the
    arrows from those two turned towards the rule below at once and cut through its lower corners (35
    library cases with the README's `--set threat_level=unknown`)."""
    answer = what_if(only_case(LIBRARY / f"{name}.yaml"), fact_settings(["threat_level=unknown"]))
    assert arrow_problems(*chain_graph(answer.after)) == []


def a_chain(seed: int) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str]]]:
    """A random chain about as large as the advisor's (5 to 7 ranks of 1 to 3 boxes, 1 to 5 lines each),
    each box linked from the rank above and sometimes from further up."""
    rng = random.Random(seed)
    ranks = [[f"n{r}_{i}" for i in range(rng.randint(1, 3))] for r in range(rng.randint(5, 7))]
    nodes = {ident: ("rule", "word " * rng.choice([1, 1, 6, 12, 22])) for rank in ranks for ident in rank}
    edges: list[tuple[str, str]] = []
    for r in range(1, len(ranks)):
        for target in ranks[r]:
            edges.append((rng.choice(ranks[r - 1]), target))
            for _ in range(rng.randint(0, 2)):
                edge = (rng.choice(ranks[rng.randrange(r)]), target)
                edges += [edge] if edge not in edges else []
    return nodes, edges


def test_no_arrow_crosses_a_box_or_runs_over_another_on_chains_of_the_advisors_size() -> None:
    found = [f"chain {seed}: {problem}" for seed in range(60) for problem in arrow_problems(*a_chain(seed))]
    assert found == []


def test_arrows_from_one_box_down_one_lane_are_one_line_that_branches() -> None:
    """ANZUS: threat level feeds THR-04 two rows down and THR-06 four rows down, both past rows on the
    left; the second arrow was drawn 4 units beside the first, a double line from the box."""
    nodes, edges = chain_graph(advise(only_case(LIBRARY / "anzus-1951.yaml")))
    svg = ElementTree.fromstring(chain_svg(nodes, edges, title="t"))
    paths = [p.get("d") or "" for p in svg.iter(f"{SVG}path")]
    lanes = {
        float(re.findall(r"L (-?\d+) ", d)[-1])
        for (source, _), d in zip(edges, paths, strict=True)
        if source == "F_threat_level" and d.count(" L ") >= 1
    }
    assert len(lanes) == 1, paths


# --- the what-if brief ----------------------------------------------------------------------------


def written(folder: Path, data: dict[str, Any], stem: str) -> Path:
    path = folder / f"{stem}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def library_data(name: str) -> dict[str, Any]:
    data = yaml.safe_load((LIBRARY / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_a_groups_fact_unknown_is_read_both_ways_when_grouping_is_contested(tmp_path: Path) -> None:
    """A pair's case with grouping unknown and standing forum unknown: the readings in which it is a
    group read the forum both ways (it was read false there, in silence), and the what-if that sets
    both is the brief of the file edited so (its sensitivity counted 31 changes against 30)."""
    data = library_data("us-spain-1953")
    edited = {**data, "facts": {**data["facts"], "standing_forum": "unknown", "grouping": "unknown"}}
    rec = advise(only_case(written(tmp_path, edited, "edited")))
    assert set(rec.contested) == {"grouping", "standing_forum"}
    assert rec.readings == {"alliance": 0.75, "coalition": 0.25}  # a group with a standing forum: alliance
    changes = fact_settings(["grouping=unknown", "standing_forum=unknown"])
    what = markdown(only_case(written(tmp_path, data, "given")), changes=changes)
    plain = markdown(only_case(written(tmp_path, edited, "edited")))
    assert what.split("\n## Recommendation\n")[1] == plain.split("\n## Recommendation\n")[1]


def test_the_reading_explained_does_not_depend_on_the_order_of_the_facts_in_the_file(tmp_path: Path) -> None:
    data = library_data("us-japan-1960")
    data["facts"].update(threat_level=["moderate", "high"], entrapment_risk="unknown")
    backwards = {**data, "facts": dict(reversed(list(data["facts"].items())))}
    first, second = only_case(written(tmp_path, data, "a")), only_case(written(tmp_path, backwards, "b"))
    assert list(second.contested) == [f for f in ALL_FACTS if f in second.contested]
    assert markdown(first) == markdown(second)
    changes = fact_settings(["value_alignment=low,high"])  # the what-if reads them in the facts' order
    what = markdown(only_case(written(tmp_path, library_data("us-japan-1960"), "c")), changes=changes)
    edited = {**backwards, "facts": {"value_alignment": ["low", "high"], **backwards["facts"]}}
    edited["facts"].update(threat_level="high", entrapment_risk="moderate", value_alignment=["low", "high"])
    plain = markdown(only_case(written(tmp_path, edited, "d")))
    assert what.split("\n## Recommendation\n")[1] == plain.split("\n## Recommendation\n")[1]


def facts_rows(text: str) -> dict[str, str]:
    rows = text.split("\n## Facts\n", 1)[1].strip().split("\n\n")[0].splitlines()[2:]
    return {row.split(" | ")[0].removeprefix("| "): row for row in rows}


def test_the_facts_table_marks_grouping_when_a_what_if_changes_it() -> None:
    case = only_case(LIBRARY / "us-india-2005.yaml")
    rows = facts_rows(markdown(case, changes=fact_settings(["grouping=true"])))
    assert rows["**grouping** *changed*"].startswith(
        "| **grouping** *changed* | **true** *(what-if; the case file gives false)* | a group: three or more"
    )
    assert "grouping" not in facts_rows(markdown(case))  # as the parties say: not listed


def test_a_groups_fact_set_for_a_pair_is_said_not_weighed_in_the_notice_and_the_table() -> None:
    case = only_case(LIBRARY / "us-india-2005.yaml")
    text = markdown(case, changes=fact_settings(["standing_forum=true"]))
    notice = text.split("\n> ", 1)[1].split("\n\n")[0]
    assert "judged on standing forum: a pair's is not weighed." in notice
    row = facts_rows(text)["**standing forum** *changed*"]
    assert "| not weighed: only a group of three states or more is judged on standing forum |" in row
    moved = markdown(case, changes=fact_settings(["standing_forum=true", "grouping=unknown"]))
    assert "not weighed" not in moved  # some reading is a group's: it is weighed there


def test_a_what_if_that_changes_nothing_does_not_title_its_chain_as_a_what_if() -> None:
    case = only_case(LIBRARY / "us-india-2005.yaml")
    page = html_brief(case, changes=fact_settings(["threat_level=moderate"]))
    assert "A what-if that changes nothing:" in page
    assert "<title>How Strategic Partnership was reached</title>" in page
    changed = html_brief(case, changes=fact_settings(["threat_level=high"]))
    assert "<title>How Strategic Partnership was reached in this what-if</title>" in changed


# --- rules check, rules list ----------------------------------------------------------------------


def copy_rules(tmp_path: Path, old: str, new: str, name: str = "10-threat.yaml") -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", folder)
    text = (folder / name).read_text(encoding="utf-8")
    assert old in text, old
    (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            "passage: Alliances typically form against a specific adversary (balancing behavior).",
            'passage: "  "',
            "10-threat.yaml:32: rule THR-01: source.passage is blank",
        ),
        (
            "title: A real threat from a commonly named adversary calls for balancing",
            "title: ''",
            "10-threat.yaml:19: rule THR-01: title is blank",
        ),
    ],
)
def test_rules_check_refuses_a_blank_passage_or_title(tmp_path: Path, old: str, new: str, said: str) -> None:
    """A blank passage is in every seed text: `rules check --seeds` said ok of a rule that cites nothing."""
    folder = copy_rules(tmp_path, old, new)
    assert any(said in p for p in check_knowledge_base(folder)), check_knowledge_base(folder)
    result = in_process("rules", "check", folder)
    assert result.exit_code == 2 and said in result.stderr


def test_rules_check_refuses_a_blank_caution(tmp_path: Path) -> None:
    folder = copy_rules(tmp_path, "rules:", "rules:")
    data = yaml.safe_load((folder / "50-cautions.yaml").read_text(encoding="utf-8"))
    data["rules"][0]["then"]["caution"] = " "
    (folder / "50-cautions.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    found = check_knowledge_base(folder)
    assert any(f"rule {data['rules'][0]['id']}: then.caution is blank" in p for p in found), found


def test_rules_check_with_seeds_says_the_passages_were_checked(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    from advisor.rulebase import load_knowledge_base

    kb = load_knowledge_base()
    for name, seed in kb.seeds.items():
        passages = [r.source.passage for r in kb.rules if r.source.seed == name]
        (seeds / seed.file).write_text("\n\n".join(passages), encoding="utf-8")
    result = in_process("rules", "check", "--seeds", seeds)
    assert result.exit_code == 0, result.stderr
    assert f"Every passage a rule cites is in its seed text in {seeds}, word for word." in result.stdout


def test_rules_list_help_names_the_kind_as_the_other_options_are_named() -> None:
    shown = in_process("rules", "list", "-h").stdout
    assert "--kind KIND" in shown and "<str>" not in shown


@pytest.mark.parametrize("command", ["explain", "report"])
def test_a_misspelt_fact_in_set_is_named_with_the_fact_it_stands_for(tmp_path: Path, command: str) -> None:
    """A case file's misspelt fact is named with the fact it likely stands for; `--set` listed all 16."""
    out = ("-o", str(tmp_path / "brief.md")) if command == "report" else ()
    result = in_process(command, LIBRARY / "us-india-2005.yaml", "--set", "threat_lvl=high", *out)
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    said = "advisor: --set threat_lvl=high: did you mean threat_level? use fact=value"
    assert result.stderr.startswith(said)
    assert list(tmp_path.iterdir()) == []
