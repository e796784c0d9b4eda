"""What every command shares: failing in one line, the console, the knowledge base, one case file.

Only typer and advisor.output are imported here; the library is imported inside
the functions, so that ``advisor --help`` stays fast. Command modules import from
here, never from ``advisor.cli`` (which imports them).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from advisor.output import error

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--rules", metavar="DIR", help="A rules directory to use instead of the bundled knowledge base."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
# A case file is taken as text, so that an empty argument is told apart from "." (Path("") is ".").
CaseFileArgument = Annotated[
    str, typer.Argument(metavar="FILE", help="A case file (YAML or JSON).", show_default=False)
]
CaseOption = Annotated[
    str | None, typer.Option("--case", metavar="ID", help="The case id, in a file of several.")
]


SET_VALUES = (
    "VALUE may be unknown, or several values separated by commas (high,existential): "
    "the fact is then read each way."
)
"""What ``--set FACT=VALUE`` takes, said in the help of every command that has it (explain, report)."""


def fact_settings(texts: Iterable[str] | None) -> dict[str, Any]:
    """Read the ``--set FACT=VALUE`` options of ``explain`` and ``report`` (``explain.parse_setting``):
    fact -> value, or the tuple of values a fact is read as; fail in one line, status 2, on a malformed
    setting, an unknown fact or value, or a fact set twice."""
    from advisor.explain import parse_setting

    changes: dict[str, Any] = {}
    typed: dict[str, str] = {}
    for text in texts or []:
        try:
            name, value = parse_setting(text)
        except ValueError as exc:
            fail(str(exc))
        if name in typed:  # --set is repeatable for several facts, not for one fact twice
            fail(f"--set {name} given twice ({typed[name]}, {text}); set each fact once")
        changes[name], typed[name] = value, text
    return changes


def fail(message: str, status: int = 2) -> NoReturn:
    """Print one line on standard error (control characters escaped) and exit."""
    error(message)
    raise typer.Exit(status)


def one_line_usage_errors() -> None:
    """Make every command say each mistake on its command line in one line, status 2: a single-valued
    option given more than once, a value of the wrong type, an empty path, an unknown option or
    command, a missing argument (``advisor.commands.bad_values``).

    click keeps the last value of an option that is not ``multiple`` (its parser's ``store``
    action overwrites): ``-o one.md -o two.md`` would silently drop ``one.md``. So each command
    parses its arguments once more beforehand, recording every value given. Options that take
    several values (``multiple``: ``append``), flags and counts may be repeated. A value typer
    refuses (``--jobs abc``, ``--jobs 0``) or any other mistake click finds would print click's
    usage block: it is said in one line naming the option or argument instead, with the command
    whose help to see. A group called with nothing still shows its help; shell completion, which
    parses resiliently, is left alone.
    """
    from typer.core import TyperCommand, TyperGroup

    for kind in (TyperCommand, TyperGroup):
        parse_args = kind.parse_args
        if getattr(parse_args, "one_line", False):
            continue
        checked = _checked(parse_args)
        checked.one_line = True
        kind.parse_args = checked  # type: ignore[method-assign]
    if not getattr(TyperGroup.resolve_command, "one_line", False):
        resolved = _resolved(TyperGroup.resolve_command)
        resolved.one_line = True
        TyperGroup.resolve_command = resolved  # type: ignore[method-assign]


def _checked(parse_args: Callable[[Any, Any, list[str]], list[str]]) -> Any:
    def checked(self: Any, ctx: Any, args: list[str]) -> list[str]:
        if ctx.resilient_parsing:  # shell completion
            return parse_args(self, ctx, args)
        from typer._click.exceptions import BadParameter, MissingParameter, NoArgsIsHelpError, UsageError

        from advisor.commands.bad_values import describe, empty_path, usage_line

        given = _given_values(self, ctx, list(args))
        problem = empty_path(self, given)
        if problem:
            fail(problem)
        try:
            return parse_args(self, ctx, args)
        except NoArgsIsHelpError:  # a group alone: its help
            raise
        except BadParameter as exc:
            if isinstance(exc, MissingParameter):
                fail(usage_line(exc, ctx))
            raw = given.get(exc.param, [None])[-1] if exc.param is not None else None
            fail(describe(exc, raw))
        except UsageError as exc:
            fail(usage_line(exc, ctx))

    return checked


def _resolved(resolve_command: Callable[[Any, Any, list[str]], Any]) -> Any:
    def resolved(self: Any, ctx: Any, args: list[str]) -> Any:
        from typer._click.exceptions import UsageError

        try:
            return resolve_command(self, ctx, args)
        except UsageError as exc:  # no such command (with typer's guess)
            if ctx.resilient_parsing:
                raise
            from advisor.commands.bad_values import usage_line

            fail(usage_line(exc, ctx))

    return resolved


def _given_values(command: Any, ctx: Any, args: list[str]) -> dict[Any, list[Any]]:
    """Return every value given to each parameter, as typed; refuse a single-valued option given twice.

    Nothing is returned when the arguments do not parse: the real parse says what is wrong.
    """
    from typer._click.exceptions import UsageError

    from advisor.commands.bad_values import option_name

    parser = command.make_parser(ctx)
    given: dict[Any, list[Any]] = {}
    options = {id(o): o for o in [*parser._long_opt.values(), *parser._short_opt.values()]}
    for option in options.values():
        if option.action in ("store", "append"):  # one value each time

            def record(value: Any, state: Any, option: Any = option, process: Any = option.process) -> None:
                given.setdefault(option.obj, []).append(value)
                process(value, state)

            option.process = record
    try:
        found, _, _ = parser.parse_args(args=args)
    except UsageError:
        return {}
    for param in command.params:
        if param.param_type_name == "argument" and found.get(param.name) is not None:
            value = found[param.name]
            given[param] = list(value) if isinstance(value, (list, tuple)) else [value]
    for param, values in given.items():
        if len(values) > 1 and param.param_type_name == "option" and not param.multiple:
            times = "twice" if len(values) == 2 else f"{len(values)} times"
            shown = ", ".join(" ".join(map(str, v)) if isinstance(v, tuple) else str(v) for v in values)
            fail(f"{option_name(param)} given {times} ({shown}); give it once")
    return given


def console(min_width: int | None = None) -> Any:
    """Return a rich Console for standard output (honours NO_COLOR and the terminal width, down to
    ``min_width``: by default output.MIN_WIDTH, 60; render.narrow.NARROWEST, 40, for the outputs
    laid out for a narrow terminal)."""
    from advisor.output import MIN_WIDTH
    from advisor.output import console as make

    return make(min_width=MIN_WIDTH if min_width is None else min_width)


def knowledge_base(rules: Path | None, option: str = "--rules") -> Any:
    """Load a knowledge base, turning its problems into a one-line failure that names the option."""
    from advisor.rulebase import RuleBaseError, load_knowledge_base

    try:
        return load_knowledge_base(rules)
    except RuleBaseError as exc:
        check = "advisor rules check" + (f" {rules}" if rules else "")
        more = f" (and {len(exc.problems) - 1} more; run '{check}')" if len(exc.problems) > 1 else ""
        fail(f"{option}: invalid knowledge base: {exc.problems[0]}{more}")


def load_one_case(given: str | Path, case_id: str | None) -> Any:
    """Read a case file and return the one case asked for, or fail with a clear message."""
    from advisor.cases import load_file

    if given == "":
        fail("FILE: an empty path names no file")
    path = Path(given)
    if not os.path.lexists(path):
        fail(f"{path}: no such file")
    if path.is_dir():
        fail(f"{path}: is a directory; this command takes one case file ('advisor evaluate' takes many)")
    loaded, errors = load_file(path)
    if case_id is not None and not any(e.case is None for e in errors):
        return _chosen_case(path, case_id, loaded, errors)
    if errors:
        for problem in errors[1:]:
            error(str(problem))
        fail(str(errors[0]))
    if len(loaded) > 1:
        _no_duplicate_ids(path, loaded)
        names = ", ".join(c.case.name for c in loaded)
        fail(f"{path}: holds {len(loaded)} cases ({names}); choose one with --case ID")
    return loaded[0].case


def _no_duplicate_ids(path: Path, loaded: list[Any]) -> None:
    """Fail when two cases of a file share an id: no ``--case`` could choose between them."""
    ids = [c.case.id for c in loaded if c.case.id is not None]
    twice = sorted({i for i in ids if ids.count(i) > 1}, key=ids.index)
    if twice:
        shown = ", ".join(f"{i!r} ({ids.count(i)} cases)" for i in twice)
        fail(f"{path}: duplicate case id {shown}; give each case its own id")


def _chosen_case(path: Path, case_id: str, loaded: list[Any], errors: list[Any]) -> Any:
    """Return the case ``--case`` names, whatever is wrong with the other cases of its file."""
    wrong = [e for e in errors if e.case == case_id]
    if wrong:
        fail(str(wrong[0]))
    chosen = [c for c in loaded if c.case.id == case_id]
    if not chosen:
        ids = [c.case.name for c in loaded] + [f"{e.case} (invalid)" for e in errors]
        fail(f"{path}: no case {case_id!r}; it holds {', '.join(ids)}")
    if len(chosen) > 1:
        fail(f"{path}: duplicate case id {case_id!r}: {len(chosen)} cases have it; give each case its own id")
    if errors:
        others = ", ".join(repr(e.case) for e in errors)
        error(f"note: {path}: other cases in the file have errors ({others}); 'advisor evaluate' lists them")
    return chosen[0].case


def writable(path: Path, option: str) -> None:
    """Fail unless ``path`` can be written: not a folder, its folder exists, and a file can be made
    there -- tried, not guessed from the permission bits, which do not tell (an immutable folder,
    a read-only mount, root)."""
    import tempfile

    if path.is_dir() or not path.parent.resolve().is_dir():
        fail(f"{option} {path}: " + ("is a directory" if path.is_dir() else "its folder does not exist"))
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".advisor-check-"):
            pass
    except OSError as exc:
        fail(f"{option} {path}: cannot write in its folder ({exc.strerror or exc})")


STDOUT = "-"  # as a file to write: standard output


def is_stdout(path: str | Path | None) -> bool:
    """Return whether an output option names standard output (``-``)."""
    return path is not None and str(path) == STDOUT


def same_file(a: str | Path, b: str | Path) -> bool:
    """Return whether two paths name one file (symlinks, hard links, ``./x`` and ``../d/x`` included)."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): compare where they lead
        return os.path.realpath(a) == os.path.realpath(b)


def not_an_input(option: str, output: str | Path | None, inputs: Iterable[str | Path]) -> None:
    """Fail, before anything is done, if an output file is one of the files the command reads."""
    if output is None or is_stdout(output):
        return
    for given in inputs:
        if same_file(output, given):
            also = f" ({given})" if str(given) != str(output) else ""
            fail(f"{option} {output}: is one of the files read{also}; choose another file")


def files_under(directory: str | Path) -> list[Path]:
    """Return the files below a folder an input is read from (none if it is not a folder)."""
    folder = Path(directory)
    return [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
