"""The command line: help, version, advise, rules and schema; errors are one line, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor import __version__

from hostile.corpus import case, write_cases
from running import advisor, check_golden, in_process, trimmed

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "library" / "us-south-korea-1953.yaml"


def advise_trace(case: Path, columns: int) -> subprocess.CompletedProcess[str]:
    """Run ``advisor advise CASE --trace`` on a dumb terminal ``columns`` wide, without colour."""
    return subprocess.run(
        [sys.executable, "-m", "advisor", "advise", str(case), "--trace"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "", "NO_COLOR": "1", "COLUMNS": str(columns), "TERM": "dumb"},
    )


def test_version_matches_the_package_metadata() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert __version__ == project["version"]
    result = advisor("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"advisor {__version__}"


def test_help_lists_the_commands() -> None:
    result = advisor("--help")
    assert result.returncode == 0
    for command in ("advise", "rules", "schema"):
        assert command in result.stdout


@pytest.mark.slow
def test_advise_renders_outcome_reasons_and_tree() -> None:
    result = advisor("advise", str(CASE))
    assert result.returncode == 0, result.stderr
    assert "Alliance" in result.stdout
    assert "Strongest reason: ALL-01" in result.stdout
    assert "Confidence: clear" in result.stdout
    assert "How the recommendation was reached" in result.stdout
    assert "credible_commitment_needed" in result.stdout
    assert "The evidence weighed" in result.stdout


def test_advise_json_is_the_facts_md_object() -> None:
    result = in_process("advise", str(CASE), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["case"] == "us-south-korea-1953" and data["recommendation"] == "alliance"
    assert data["deciding_rule"] == "ALL-01"
    assert data["confidence"] == "clear" and data["runner_up"] in data["beliefs"]
    assert data["readings"] == {"alliance": 1.0}


@pytest.mark.slow
def test_names_from_files_are_shown_literally_never_as_markup(tmp_path: Path) -> None:
    text = CASE.read_text().replace("title:", "title: '[bold red]Evil[/] [link=x]y[/link]' #", 1)
    case = tmp_path / "evil.yaml"
    case.write_text(text)
    result = advisor("advise", str(case))
    assert result.returncode == 0, result.stderr
    assert "[bold red]Evil[/]" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("", "the file is empty"),
        ("facts: {threat_level: severe}\n", "facts.threat_level: 'severe' is not one of"),
        *(  # each case is a run of the program: the rest run with -m slow
            pytest.param(content, message, marks=pytest.mark.slow)
            for content, message in [
                ("facts: {threat_level: low}\n", "facts: missing shared_adversary, power_asymmetry, ratif"),
                ("id: x\nfacts: 3\n", "facts: must be a mapping"),
                ("- {}\n- {}\n", "case 'broken#1'"),
                ("a: [1\n", "invalid YAML"),
            ]
        ),
    ],
)
def test_bad_case_files_give_one_clear_line_and_status_2(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "broken.yaml"
    if content is not None:
        path.write_text(content)
    result = advisor("advise", str(path))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert str(path) in result.stderr


@pytest.mark.slow
def test_a_file_of_several_cases_needs_case(tmp_path: Path) -> None:
    body = CASE.read_text()
    several = tmp_path / "two.yaml"
    other = body.replace("us-south-korea-1953", "other")
    several.write_text("- " + body.replace("\n", "\n  ") + "\n- " + other.replace("\n", "\n  "))
    result = advisor("advise", str(several))
    assert result.returncode == 2 and "--case" in result.stderr
    chosen = advisor("advise", str(several), "--case", "other", "--json")
    assert json.loads(chosen.stdout)["case"] == "other"


@pytest.mark.slow  # a whole process; the default run keeps faster tests of the same area
def test_rules_list_and_show_print_the_knowledge_base_in_plain_language() -> None:
    listing = advisor("rules", "list")
    assert listing.returncode == 0 and "THR-01" in listing.stdout and "POL-01" in listing.stdout
    shown = advisor("rules", "show", "thr-02")
    assert shown.returncode == 0
    assert "IF" in shown.stdout and "THEN signal credible_commitment_needed" in shown.stdout
    assert "seed 001" in shown.stdout
    missing = advisor("rules", "show", "XXX-99")
    assert missing.returncode == 2 and "no rule 'XXX-99'" in missing.stderr


def test_rules_list_shows_the_resolution_order_from_the_strata_and_the_tie_order() -> None:
    from advisor.engine.certainty import TIE_ORDER
    from advisor.rulebase import load_knowledge_base, stages

    listing = in_process("rules", "list").stdout
    order = listing[listing.index("How the rules run, stratum by stratum:") :].splitlines()
    steps = stages(load_knowledge_base())
    assert [line.split(".")[0].strip() for line in order[1 : len(steps) + 1]] == [
        str(n) for n in range(1, len(steps) + 1)
    ]
    combine = len(steps) - 1  # the evidence is combined in the stratum before the cautions
    assert order[1].endswith(" evidence") and " signal, " in order[1], order
    combining = f"  {combine}. combine POL-01: combine the evidence (certainty factors)"
    assert order[combine].startswith(combining), order
    assert order[len(steps)].endswith(" caution"), order
    assert order[len(steps) + 1 :] == [
        "Equal beliefs go to the first in the tie order:",
        "  " + " > ".join(TIE_ORDER),
    ]


@pytest.mark.slow
def test_rules_check_reports_every_problem_with_file_and_line(tmp_path: Path) -> None:
    assert advisor("rules", "check").returncode == 0
    bad = tmp_path / "rules"
    bad.mkdir()
    (bad / "a.yaml").write_text("rules:\n  - id: BAD\n    title: x\n")
    result = advisor("rules", "check", str(bad))
    assert result.returncode == 2
    assert "a.yaml:2: rule BAD: id: a rule id is two to four capitals" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_an_invalid_knowledge_base_fails_advise_in_one_line(tmp_path: Path) -> None:
    result = advisor("advise", str(CASE), "--rules", str(tmp_path))
    assert result.returncode == 2
    assert "invalid knowledge base" in result.stderr and len(result.stderr.splitlines()) == 1


def test_schema_is_a_json_schema_that_names_every_fact() -> None:
    result = advisor("schema")
    schema = json.loads(result.stdout)
    text = json.dumps(schema)
    for fact in ("threat_level", "nonstate_actors_essential"):
        assert fact in text
    assert "existential" in text and schema["title"] == "Alignment Advisor case file"
    # a fact may be one value, unknown, or contested (a list of two or more distinct values);
    # grouping too, when it is written (the advisor reads it like any fact)
    for name, prop in schema["$defs"]["Facts"]["properties"].items():
        one, unknown, several = prop["anyOf"]
        assert unknown == {"const": "unknown"} and "type" not in prop and "enum" not in prop, name
        assert several == {"type": "array", "items": one, "minItems": 2, "uniqueItems": True}, name
        assert one.get("enum") or one.get("type") == "boolean", name
    case = schema["$defs"]["Case"]
    # what a file may hold: never `contested` (filled in from facts; a file giving it is refused)
    assert "contested" not in case["properties"] and case["additionalProperties"] is False
    parties = case["properties"]["parties"]
    assert parties["uniqueItems"] is True and parties["not"] == {"minItems": 1, "maxItems": 1}


@pytest.mark.parametrize(
    ("parties", "said"),
    [
        (["A"], "parties: two names for a dyad, three or more for a group: one name is given"),
        (["A", " "], "parties: a party's name is blank"),
        (["A", "B", "a"], "parties: 'a' is named twice: each party is named once"),
    ],
)
def test_bad_parties_are_refused_in_one_line_naming_the_field(
    tmp_path: Path, parties: list[str], said: str
) -> None:
    """A name given twice would make a pair a group (grouping is read off the parties): refused."""
    data = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    (tmp_path / "p.yaml").write_text(yaml.safe_dump({**data, "parties": parties}), encoding="utf-8")
    result = in_process("advise", tmp_path / "p.yaml")
    assert result.exit_code == 2
    assert said in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_advise_rendering_matches_its_golden_file() -> None:
    """The terminal rendering at 80 columns without colour; UPDATE_GOLDEN=1 rewrites the file."""
    result = advise_trace(ROOT / "tests" / "golden" / "case.yaml", 80)
    assert result.returncode == 0, result.stderr
    check_golden(ROOT / "tests" / "golden" / "advise.txt", trimmed(result.stdout))


@pytest.mark.slow
def test_a_directory_is_refused_by_the_one_case_commands(tmp_path: Path) -> None:
    for command in ("advise", "explain"):
        result = advisor(command, str(tmp_path))
        assert result.returncode == 2
        assert "is a directory; this command takes one case file" in result.stderr


@pytest.mark.slow
def test_a_knowledge_base_with_a_negation_cycle_is_one_clear_line(tmp_path: Path) -> None:
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / "20-restraints.yaml"
    text = path.read_text().replace(
        "      signals: [autonomy_preference]\n",
        "      signals: [autonomy_preference]\n      without: [quasi_alliance]\n",
        1,
    )
    path.write_text(text)
    result = advisor("advise", str(CASE), "--rules", str(rules))
    assert result.returncode == 2
    assert result.stderr.startswith("advisor: --rules: invalid knowledge base: these rules negate signals")
    assert "internal error" not in result.stderr


# --- faults of the output and the environment (issue 10) ---------------------------------------


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """A folder of 12 good case files (no expectations), and good.yaml beside them."""
    write_cases(tmp_path / "cases", 12)
    (tmp_path / "good.yaml").write_text(yaml.safe_dump(case(title="Café — “quoted” ✓")), encoding="utf-8")
    return tmp_path


def run_env(*args: str | Path, env: dict[str, str], **options: Any) -> subprocess.CompletedProcess[bytes]:
    base = {"PATH": os.environ.get("PATH", ""), "NO_COLOR": "1", "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "advisor", *map(str, args)],
        cwd=ROOT,
        env={**base, **env},
        timeout=120,
        stderr=subprocess.PIPE,
        **options,
    )


@pytest.mark.slow
def test_a_full_standard_output_is_named_with_status_2(good: Path) -> None:
    with open("/dev/full", "wb") as full:
        result = run_env("evaluate", good / "cases", env={}, stdout=full)
    assert result.returncode == 2
    assert result.stderr == b"advisor: standard output: cannot write (No space left on device)\n"


def test_a_closed_standard_output_is_named_with_status_2(good: Path) -> None:
    result = run_env("advise", good / "good.yaml", env={}, stdout=None, preexec_fn=lambda: os.close(1))
    assert result.returncode == 2
    assert result.stderr.startswith(b"advisor: standard output is closed")


@pytest.mark.parametrize("args", [("rules", "list"), ("advise", "--json")])
def test_a_reader_that_leaves_early_ends_the_command_quietly_with_status_141(
    good: Path, args: tuple[str, ...]
) -> None:
    # click turns a broken pipe into an exit whose context loops back to it: walked once, the
    # command ends at once (it used to spin until killed), silently, as SIGPIPE would end it.
    command = [*args, str(good / "good.yaml")] if args[0] == "advise" else list(args)
    process = subprocess.Popen(
        [sys.executable, "-m", "advisor", *command],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", ""), "NO_COLOR": "1", "COLUMNS": "100"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader leaves before the first line
    try:
        status = process.wait(timeout=60)
    finally:
        process.kill()
    assert status == 141
    assert process.stderr.read() == b""


@pytest.mark.slow
@pytest.mark.parametrize(
    "env",
    [{"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}, {"PYTHONIOENCODING": "ascii"}],
)
def test_a_terminal_without_utf8_gets_ascii(good: Path, env: dict[str, str]) -> None:
    result = run_env("advise", good / "good.yaml", env=env, stdout=subprocess.PIPE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.isascii() and b'Cafe - "quoted" +' in result.stdout
    as_json = run_env("advise", good / "good.yaml", "--json", env=env, stdout=subprocess.PIPE)
    assert as_json.stdout.isascii() and json.loads(as_json.stdout)["case"] == "us-india-2005"


@pytest.mark.slow
@pytest.mark.parametrize("columns", ["0", "5"])
def test_a_tiny_width_still_shows_the_cases(good: Path, columns: str) -> None:
    result = run_env("evaluate", good / "cases", env={"COLUMNS": columns}, stdout=subprocess.PIPE)
    assert b"good-0" in result.stdout and b"good-11" in result.stdout
    assert b"Accuracy" in result.stdout or b"cases" in result.stdout


@pytest.mark.slow
def test_a_link_loop_is_not_called_missing(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    result = advisor("advise", loop)
    assert result.returncode == 2
    assert result.stderr == f"advisor: {loop}: a symbolic link loop (the link leads back to itself)\n"


@pytest.mark.slow
def test_error_lines_and_briefs_on_standard_output_show_controls_escaped(tmp_path: Path) -> None:
    result = advisor("rules", "show", "X\x1b[2J\nforged")
    assert result.stderr == "advisor: no rule 'X\\x1b[2J\\nforged'; 'advisor rules list' shows them all\n"
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(case(title="Clear\x1b[2J\x9bscreen"), allow_unicode=True))
    brief = advisor("report", tmp_path / "c.yaml", "-o", "-")
    # escaped as the terminal view does, then for Markdown (a Markdown reader shows Clear\x1b[2J)
    assert brief.returncode == 0 and "Clear\\\\x1b\\[2J" in brief.stdout and "\\\\x9bscreen" in brief.stdout
    assert "\x1b" not in brief.stdout and "\x9b" not in brief.stdout


@pytest.mark.slow
def test_below_80_columns_the_trace_is_a_list_that_cuts_no_value() -> None:
    result = advise_trace(CASE, 60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert not [line for line in lines[1:] if "…" in line], "only the panel's title may be cut"
    assert max(len(line) for line in lines) <= 60
    assert "    matched: " in result.stdout


@pytest.mark.parametrize("command", ["advise", "explain", "precedents"])
def test_an_empty_case_file_argument_is_named_as_empty_not_as_the_current_folder(command: str) -> None:
    result = in_process(command, "")
    assert result.exit_code == 2
    assert result.stderr.strip() == "advisor: FILE: an empty path names no file"


def _help_pages() -> dict[str, str]:
    """Return every command's help text (subcommands included), by its command line."""
    import typer.main

    from advisor.cli import app

    pages: dict[str, str] = {}

    def visit(command: Any, words: tuple[str, ...]) -> None:
        result = in_process(*words, "-h")
        assert result.exit_code == 0, (words, result.output)
        pages[" ".join(("advisor", *words))] = result.stdout
        for name, sub in getattr(command, "commands", {}).items():
            visit(sub, (*words, name))

    visit(typer.main.get_command(app), ())
    return pages


def test_every_path_in_the_help_examples_exists() -> None:
    """Every repository path or glob an example names (cases/..., docs/...) is there, and globs match."""
    import glob
    import shlex

    tops = {p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".")}
    checked, missing = 0, []
    for command, text in _help_pages().items():
        for line in text.splitlines():
            words = shlex.split(line.strip()) if line.strip().startswith(("advisor ", "docs/")) else []
            for word in words:
                if word.split("/")[0] not in tops or "/" not in word:
                    continue
                checked += 1
                if not glob.glob(word, root_dir=ROOT):
                    missing.append(f"{command} -h: {word}")
    assert checked >= 10
    assert missing == []


@pytest.mark.parametrize("command", ["advise", "explain"])
def test_a_case_id_given_twice_in_a_file_is_refused_naming_the_file_and_id(
    tmp_path: Path, command: str
) -> None:
    one = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    other = {**one, "expected": None, "title": "another"}
    path = tmp_path / "twodup.yaml"
    path.write_text(yaml.safe_dump([one, other], sort_keys=False), encoding="utf-8")
    result = in_process(command, path, "--case", one["id"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and f"duplicate case id {one['id']!r}" in lines[0]
    assert result.stdout == ""
