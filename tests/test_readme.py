"""The README and the command line as a newcomer meets them: examples run as written, help, the docs."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

from advisor.facts import scales
from advisor.outcomes import OUTCOME_IDS

from running import advisor

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import readme_examples  # noqa: E402  (bench/ is not a package)

README = ROOT / "README.md"
EXAMPLES = readme_examples.examples(README.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scratch() -> object:
    """A folder that sees the repository's cases, docs and rules, as the README's examples expect."""
    with readme_examples.scratch() as folder:
        yield Path(folder)


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.command[:60])
def test_every_readme_example_runs_as_written(example: readme_examples.Example, scratch: Path) -> None:
    status, output = readme_examples.run(example, scratch)
    if example.expected is None:
        assert status in (0, 1), "\n".join(output[-10:])
    else:
        shown = "\n".join(example.expected)
        assert readme_examples.agrees(example.expected, output), (
            f"README shows:\n{shown}\n\nthe command prints:\n"
            + "\n".join(output)
            + "\n\n(python bench/readme_examples.py --update rewrites the README's outputs)"
        )


def test_the_readme_has_examples_of_every_kind() -> None:
    commands = [e.command for e in EXAMPLES]
    assert any(c.startswith("advisor evaluate") for c in commands)
    assert sum(e.expected is not None for e in EXAMPLES) >= 4
    assert any(c.startswith("python -c") for c in commands)


def test_the_readme_says_how_advisor_gets_on_path() -> None:
    text = README.read_text(encoding="utf-8")
    assert ". .venv/bin/activate" in text and "python -m uv sync --locked" in text


def test_what_if_examples_change_a_fact_to_another_value() -> None:
    for example in EXAMPLES:
        settings = re.findall(r"--set (\w+)=(\w+)", example.command)
        if not settings:
            continue
        case = yaml.safe_load((ROOT / example.command.split()[2]).read_text())
        for fact, value in settings:
            assert scales()[fact].show(case["facts"][fact]) != value, f"{example}: {fact} is already {value}"


def test_the_case_format_is_documented_in_the_repository_and_linked() -> None:
    doc = (ROOT / "docs" / "case-format.md").read_text(encoding="utf-8")
    for name, scale in scales().items():
        row = next(line for line in doc.splitlines() if line.startswith(f"| `{name}` |"))
        assert all(f"`{scale.show(v)}`" in row for v in scale.values), name
    for outcome in OUTCOME_IDS:
        assert f"| `{outcome}` |" in doc
    for key in ("results", "errors", "summary", "matched_readings", "deciding_rule", "readings"):
        assert f'"{key}"' in doc
    assert "](docs/case-format.md)" in README.read_text(encoding="utf-8")
    assert "../shared/FACTS.md" not in README.read_text(encoding="utf-8")
    assert "docs/case-format.md" in advisor("evaluate", "-h").stdout


@pytest.mark.slow
def test_short_help_works_and_lists_commands_in_a_newcomers_order() -> None:
    result = advisor("-h")
    assert result.returncode == 0, result.stderr
    listed = re.findall(r"^  (\w+) ", result.stdout.split("Commands:")[1], re.M)
    assert listed == [
        "ask",
        "advise",
        "explain",
        "report",
        "precedents",
        "evaluate",
        "schema",
        "exercise",
        "rules",
    ]
    assert "..." not in result.stdout.split("Commands:")[1], "summaries are never cut"
    assert "Start here" in result.stdout and "--install-completion" in result.stdout
    for command in ("ask", "advise", "explain", "report", "evaluate", "schema"):
        text = advisor(command, "-h").stdout
        assert "Example" in text, command
        assert not re.search(r"<\w[\w\s\[\]]*>|\{\w+\}", text), f"{command}: mixed placeholders"


@pytest.mark.slow
def test_piped_output_has_no_trailing_blanks_and_evaluate_says_why_it_exits_1() -> None:
    result = advisor("evaluate", "tests/fixtures/evaluate/mismatch")
    assert result.returncode == 1
    assert not [line for line in result.stdout.splitlines() if line != line.rstrip()]
    assert re.fullmatch(
        r"advisor: \d+ of \d+ cases disagree with their expected outcome \(exit status 1\)\n", result.stderr
    )
    shown = advisor("advise", "cases/library/us-india-2005.yaml").stdout
    assert shown and not [line for line in shown.splitlines() if line != line.rstrip()]
