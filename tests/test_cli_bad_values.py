"""A value of the wrong type (an integer, a number, a choice, a path) is said in one ``advisor:`` line
naming the option and the value, exit status 2: never click's usage block, never a traceback."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
import typer
from typer.testing import CliRunner

from running import in_process

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "library" / "us-japan-1960.yaml"


def one_line(result: Any, status: int = 2) -> str:
    """Return the one ``advisor:`` line a failed command wrote, checking its status and stdout."""
    assert result.exit_code == status, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.startswith("advisor: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr and "Usage:" not in result.stderr
    return str(result.stderr)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["evaluate", CASE, "--jobs", "abc"],
            "advisor: --jobs/-j: 'abc' is not a whole number; give 1 or more",
        ),
        (["evaluate", CASE, "-j", "1.5"], "advisor: --jobs/-j: '1.5' is not a whole number; give 1 or more"),
        (["evaluate", CASE, "--jobs", "0"], "advisor: --jobs/-j: '0' is out of range; give 1 or more"),
        (["evaluate", CASE, "--jobs=-3"], "advisor: --jobs/-j: '-3' is out of range; give 1 or more"),
        (["evaluate", CASE, "--rules", ""], "advisor: --rules: the path is empty; name a file or folder"),
        (["evaluate", CASE, "--junit", ""], "advisor: --junit: the path is empty; name a file or folder"),
        (["evaluate", CASE, "--against", ""], "advisor: --against: the path is empty"),
        (["advise", CASE, "--rules", ""], "advisor: --rules: the path is empty"),
        (["rules", "list", "--rules", ""], "advisor: --rules: the path is empty"),
        (["rules", "check", ""], "advisor: DIR: the path is empty"),
        (["exercise", "list", "--pack", ""], "advisor: --pack: the path is empty"),
        (["exercise", "grade", ""], "advisor: SUBMISSIONS: the path is empty"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_option_and_the_value(args: list[Any], message: str) -> None:
    assert one_line(in_process(*args)).startswith(message)


def test_a_control_character_in_the_bad_value_is_shown_escaped() -> None:
    line = one_line(in_process("evaluate", CASE, "--jobs", "1\x1b[2J"))
    assert "\x1b" not in line and "\\x1b[2J" in line


def _commands(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    subcommands = getattr(command, "commands", None)
    if subcommands is None:
        return [(path, command)]
    return [found for name, sub in subcommands.items() for found in _commands(sub, (*path, name))]


TEXT = (str, str | None, list[str], list[str] | None)  # taken as written; the command checks it


def _typed_parameters() -> list[tuple[tuple[str, ...], Any, Any]]:
    """Every option or argument of every command whose value typer checks (not text, not a flag)."""
    from advisor.cli import app

    found = []
    for path, command in _commands(typer.main.get_command(app)):
        for param in command.params:
            annotation = param.type_descriptor.annotation
            if annotation is bool or param.name == "help" or annotation in TEXT:
                continue
            found.append((path, command, param))
    return found


TYPED = _typed_parameters()


def test_the_sweep_sees_the_typed_options() -> None:
    names = {(" ".join(path), param.name) for path, _, param in TYPED}
    assert {("evaluate", "jobs"), ("evaluate", "rules"), ("ask", "save"), ("exercise start", "out")} <= names
    assert len(TYPED) >= 20


@pytest.mark.parametrize(
    ("path", "command", "param"), TYPED, ids=[f"{' '.join(p)}:{q.name}" for p, _, q in TYPED]
)
def test_every_typed_option_of_every_command_refuses_a_bad_value_in_one_line(
    path: tuple[str, ...], command: Any, param: Any
) -> None:
    from advisor.commands.bad_values import is_path, option_name

    bad = "" if is_path(param) else "abc"
    assert is_path(param) or param.type_descriptor.annotation in (int, int | None), param.name
    args: list[str] = list(path)
    for other in command.params:  # the bad value, and whatever else the command requires well formed
        value = bad if other is param else "x"
        if other is param or other.required:
            args += [value] if other.param_type_name == "argument" else [other.opts[0], value]
    line = one_line(in_process(*args))
    assert line.startswith(f"advisor: {option_name(param)}: "), line
    assert "the path is empty" in line if bad == "" else repr(bad) in line


# --- the check is generic: any typed option of a typer command, as the advisor installs it -----------


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


def scratch() -> typer.Typer:
    """A command with one option of each kind typer checks (the advisor's cli being imported)."""
    import advisor.cli  # noqa: F401  (installs the checks)

    app = typer.Typer()

    @app.command()
    def run(
        count: Annotated[int, typer.Option("--count", "-c", min=1, max=9)] = 1,
        ratio: Annotated[float, typer.Option("--ratio", min=0.0)] = 0.5,
        colour: Annotated[Colour, typer.Option("--colour")] = Colour.RED,
        mode: Annotated[Literal["fast", "slow"], typer.Option("--mode")] = "fast",
        folder: Annotated[Path | None, typer.Option("--folder")] = None,
        sizes: Annotated[list[int] | None, typer.Option("--size")] = None,
    ) -> None:
        print("ran")

    return app


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--count", "many"], "advisor: --count/-c: 'many' is not a whole number; give 1 to 9"),
        (["-c", "10"], "advisor: --count/-c: '10' is out of range; give 1 to 9"),
        (["--ratio", "half"], "advisor: --ratio: 'half' is not a number; give 0.0 or more"),
        (["--ratio", "-1"], "advisor: --ratio: '-1' is out of range; give 0.0 or more"),
        (["--colour", "green"], "advisor: --colour: 'green' is not one of red, blue"),
        (["--mode", "medium"], "advisor: --mode: 'medium' is not one of fast, slow"),
        (["--folder", ""], "advisor: --folder: the path is empty; name a file or folder"),
        (["--size", "1", "--size", "x"], "advisor: --size: 'x' is not a whole number"),
    ],
)
def test_every_kind_of_typed_option_is_refused_in_one_line(args: list[str], message: str) -> None:
    result = CliRunner().invoke(scratch(), args)
    assert one_line(result) == message + "\n"


def test_good_values_still_run() -> None:
    args = ["-c", "3", "--ratio", "1.5", "--colour", "blue", "--mode", "slow", "--folder", ".", "--size", "2"]
    result = CliRunner().invoke(scratch(), args)
    assert result.exit_code == 0 and result.stdout == "ran\n", result.stderr


# --- what click's parser finds: one line naming the option, argument or command, and the help to see ---


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["evaluate", "--bogus"], "no such option: --bogus (did you mean --jobs?); see 'advisor evaluate -h"),
        (["evaluate", CASE, "--jbs", "2"], "no such option: --jbs (did you mean --jobs or --json?); see"),
        (["--bogus"], "no such option: --bogus; see 'advisor -h'"),
        (["advise"], "missing argument FILE; see 'advisor advise -h'"),
        (["rules", "show"], "missing argument ID; see 'advisor rules show -h'"),
        (["exercise", "start"], "missing argument ID; see 'advisor exercise start -h'"),
        (["nosuchcommand"], "no such command 'nosuchcommand'; see 'advisor -h'"),
        (["evalute", CASE], "no such command 'evalute' (did you mean 'evaluate'?); see 'advisor -h'"),
        (["exercise", "nosuch"], "no such command 'nosuch'; see 'advisor exercise -h'"),
        (["rules", "shw", "R1"], "no such command 'shw' (did you mean 'show'?); see 'advisor rules -h'"),
        (["advise", CASE, "extra"], "got unexpected extra argument(s) (extra); see 'advisor advise -h'"),
        (["evaluate", CASE, "--jobs"], "option '--jobs' requires an argument; see 'advisor evaluate -h'"),
        (["advise", CASE, "--json=yes"], "option '--json' does not take a value; see 'advisor advise -h'"),
    ],
)
def test_a_mistake_the_parser_finds_is_one_line_with_the_help_to_see(args: list[Any], message: str) -> None:
    assert one_line(in_process(*args)).startswith("advisor: " + message)


def test_a_control_character_in_an_unknown_name_is_shown_escaped() -> None:
    line = one_line(in_process("\x1b[2J[bold]x"))
    assert line == "advisor: no such command '\\x1b[2J[bold]x'; see 'advisor -h'\n"
    assert "\x1b" not in one_line(in_process("evaluate", "--\x1b[31m"))


def test_a_group_alone_still_shows_its_help() -> None:
    for args in (["rules"], ["exercise"]):
        result = in_process(*args)
        assert (
            result.exit_code == 2
            and "Usage:" in result.stdout + result.stderr
            and "Commands:" in (result.stdout + result.stderr)
        )


def test_a_missing_choice_argument_is_one_line_naming_the_choices() -> None:
    import advisor.cli  # noqa: F401  (installs the checks)

    app = typer.Typer(context_settings={"help_option_names": ["-h"]})

    @app.command()
    def paint(colour: Annotated[Colour, typer.Argument(metavar="COLOUR")], times: int = 1) -> None:
        print(colour, times)

    assert one_line(CliRunner().invoke(app, [])).startswith(
        "advisor: missing argument COLOUR (give one of red, blue); see '"
    )


def _every_command() -> list[tuple[tuple[str, ...], Any]]:
    from advisor.cli import app

    return _commands(typer.main.get_command(app))


@pytest.mark.parametrize("path", [p for p, _ in _every_command()], ids=" ".join)
def test_every_command_refuses_an_unknown_option_in_one_line(path: tuple[str, ...]) -> None:
    line = one_line(in_process(*path, "--no-such-option"))
    assert line.startswith("advisor: no such option: --no-such-option"), line
    assert line.endswith(f"; see 'advisor {' '.join(path)} -h'\n"), line


@pytest.mark.parametrize(
    "path", [p for p, c in _every_command() if any(q.required for q in c.params)], ids=" ".join
)
def test_every_command_refuses_a_missing_argument_in_one_line(path: tuple[str, ...]) -> None:
    line = one_line(in_process(*path))
    assert line.startswith("advisor: missing argument "), line
    assert line.endswith(f"; see 'advisor {' '.join(path)} -h'\n"), line


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [
        ("advisor eva", 1, "evaluate"),
        ("advisor evaluate --j", 2, "--jobs"),
        ("advisor rules sh", 2, "show"),
        ("advisor nosuch --j", 2, None),  # an unknown command: nothing to offer, and no error line
        ("advisor evaluate --bogus --j", 3, "--jobs"),
    ],
)
def test_shell_completion_still_completes_and_says_no_error(
    words: str, cword: int, expected: str | None
) -> None:
    """Completion parses resiliently: the one-line errors leave it alone."""
    from advisor.cli import app

    env = {"_ADVISOR_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    result = CliRunner(env=env).invoke(app, [], prog_name="advisor")
    assert result.exit_code == 0 and result.stderr == "", result.stderr
    offered = result.stdout.split()
    assert expected in offered if expected else offered == []


def test_the_completion_script_is_still_shown() -> None:
    result = in_process("--show-completion", "bash")
    assert result.exit_code == 0 and "_advisor_completion()" in result.stdout, result.stderr
