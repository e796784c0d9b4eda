"""What a QA pass of the command line found: rule titles rendered as markup, a repeated option that
silently kept its last value, and misleading messages; each checked here the way a user meets it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from running import in_process

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "library" / "us-japan-1960.yaml"
LINK = "[link=http://e.vil]ratif[/link]"
BOLD = "[bold red]x[/]"


def one_line(result: Any, status: int = 2) -> str:
    """Return the one ``advisor:`` line a failed command wrote, checking its status and stdout."""
    assert result.exit_code == status, (result.stdout, result.stderr)
    assert result.stderr.startswith("advisor: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr and "Usage:" not in result.stderr
    return str(result.stderr)


# --- rule text from a rules directory is shown as written, never as markup -------------------------


@pytest.fixture(scope="module")
def markup_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled rules, with markup in a rule title (ALX-05) and in a caution's title (CAU-05)."""
    rules = tmp_path_factory.mktemp("rules") / "rules"
    shutil.copytree(ROOT / "rules", rules)
    for name, old in [
        ("40-evidence.yaml", "title: A costly ratification counts against an alliance"),
        ("50-cautions.yaml", "title: Entrapment within the alliance"),
    ]:
        path = rules / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, f"title: '{old[7:]} {LINK} {BOLD}'", 1), encoding="utf-8")
    return rules


@pytest.mark.parametrize(
    "args", [["list"], ["list", "--kind", "caution"], ["show", "ALX-05"], ["show", "CAU-05"]]
)
def test_rules_commands_show_rule_titles_literally(markup_rules: Path, args: list[str]) -> None:
    assert in_process("rules", "check", markup_rules).exit_code == 0
    result = in_process("rules", *args, "--rules", markup_rules, columns=400)
    assert result.exit_code == 0, result.stderr
    shown = result.stdout
    assert LINK in shown and BOLD in shown
    assert "\x1b" not in shown


def test_the_rule_table_never_reads_markup_even_in_colour(markup_rules: Path) -> None:
    import io

    from rich.console import Console

    from advisor.render.terminal import rule_table
    from advisor.rulebase import load_knowledge_base

    kb = load_knowledge_base(markup_rules)
    out = io.StringIO()
    Console(file=out, force_terminal=True, color_system="truecolor", width=400).print(rule_table(kb.rules))
    assert "\x1b]8;" not in out.getvalue()  # no OSC 8 hyperlink
    assert LINK in out.getvalue() and BOLD in out.getvalue()


# --- a single-valued option given twice is an error, not the last value silently --------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", CASE, "-o", "one.md", "-o", "two.md"], "-o/--output given twice (one.md, two.md)"),
        (["report", CASE, "-o", "one.md", "--output=two.md"], "-o/--output given twice (one.md, two.md)"),
        (
            ["explain", CASE, "--why-not", "alliance", "--why-not", "coalition"],
            "--why-not given twice (alliance, coalition)",
        ),
        (["precedents", CASE, "--k", "2", "--k=3"], "--k given twice (2, 3)"),
        (["advise", CASE, "--case", "a", "--case", "b", "--case", "c"], "--case given 3 times (a, b, c)"),
        (["rules", "list", "--kind", "signal", "--kind", "caution"], "--kind given twice (signal, caution)"),
        (
            ["explain", CASE, "--set", "threat_level=high", "--set", "threat_level=low"],
            "--set threat_level given twice (threat_level=high, threat_level=low)",
        ),
    ],
)
def test_a_repeated_single_valued_option_is_one_line_and_status_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[Any], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    line = one_line(in_process(*args))
    assert message in line and "once" in line
    assert not list(tmp_path.iterdir()), "nothing is written"


def test_set_still_takes_several_facts() -> None:
    result = in_process(
        "explain", CASE, "--set", "threat_level=low", "--set", "ratification_cost=low", "--json"
    )
    assert result.exit_code == 0, result.stderr
    changes = json.loads(result.stdout)["what_if"]["changes"]
    assert {c["fact"] for c in changes} == {"threat_level", "ratification_cost"}


# --- misleading messages --------------------------------------------------------------------------


def test_k_that_is_not_a_number_is_one_line() -> None:
    line = one_line(in_process("precedents", CASE, "--k", "abc"))
    assert "--k: 'abc' is not a number of precedents" in line


def test_an_empty_output_path_is_said_to_be_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    line = one_line(in_process("report", CASE, "-o", ""))
    assert "-o: the path is empty" in line and "." not in line.split(":")[1]


def test_rules_check_of_a_file_says_it_is_a_file() -> None:
    result = in_process("rules", "check", ROOT / "rules" / "00-policy.yaml")
    assert result.exit_code == 2
    assert "is a file, not a directory" in result.stderr and "no such" not in result.stderr
    line = one_line(in_process("advise", CASE, "--rules", ROOT / "rules" / "00-policy.yaml"))
    assert "is a file, not a directory" in line


def test_an_empty_list_of_cases_is_said_to_be_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("[]\n")
    line = one_line(in_process("advise", path))
    assert "the list of cases is empty" in line and "a mapping" not in line


def test_setting_a_fact_to_its_value_says_it_is_already_so() -> None:
    result = in_process("explain", CASE, "--set", "threat_level=high")
    assert result.exit_code == 0, result.stderr
    shown = " ".join(result.stdout.split())
    assert "Nothing changes: threat level is already high." in shown
    assert "Changes" not in shown.split("Closest precedents")[0], "no empty table of changes"


def _agrees(documented: Any, real: Any, where: str) -> None:
    """A documented value agrees with the real one: an object has some of its keys, a list its first
    items, a text ending in '...' its beginning."""
    if isinstance(documented, dict):
        assert isinstance(real, dict), where
        for key, value in documented.items():
            assert key in real, f"{where}.{key}: not in the real output"
            _agrees(value, real[key], f"{where}.{key}")
    elif isinstance(documented, list):
        assert isinstance(real, list) and len(documented) <= len(real), where
        for i, (value, actual) in enumerate(zip(documented, real, strict=False)):
            _agrees(value, actual, f"{where}[{i}]")
    elif isinstance(documented, str) and documented.endswith("..."):
        assert isinstance(real, str) and real.startswith(documented[:-3]), f"{where}: {real!r}"
    else:
        assert documented == real, f"{where}: documented {documented!r}, real {real!r}"


def test_the_documented_advise_json_example_is_the_real_output() -> None:
    doc = (ROOT / "docs" / "case-format.md").read_text(encoding="utf-8")
    section = doc.split("## `advisor advise FILE --json`", 1)[1]
    block = re.search(r"```json\n(.*?)```", section, re.S)
    assert block is not None
    documented = json.loads(block.group(1))
    result = in_process("advise", ROOT / "cases" / "library" / f"{documented['case']}.yaml", "--json")
    assert result.exit_code == 0, result.stderr
    _agrees(documented, json.loads(result.stdout), "advise --json")
