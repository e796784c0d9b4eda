"""The ``advisor`` command: a thin layer over the library.

Heavy modules (experta, pydantic models, rich renderables) are imported inside
the commands, so that ``advisor --help`` starts fast.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Annotated, Any, NoReturn

import typer

from advisor import __version__
from advisor.output import OutputError, error, install, json_text, printable, setup_streams, silence_stdout

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
app = typer.Typer(
    name="advisor",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings=CONTEXT,
)
rules_app = typer.Typer(
    help="Read and check the knowledge base.", no_args_is_help=True, context_settings=CONTEXT
)
FORMAT_DOC = "docs/case-format.md"  # the case format and the JSON results, in the repository

RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--rules", metavar="DIR", help="A rules directory to use instead of the bundled knowledge base."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


class UsageError(Exception):
    """A problem with what the user asked for: reported in one line, exit status 2."""


def fail(message: str, status: int = 2) -> NoReturn:
    """Print one line on standard error (control characters escaped) and exit."""
    error(message)
    raise typer.Exit(status)


def console() -> Any:
    """Return a rich Console for standard output (honours NO_COLOR and the terminal width)."""
    from advisor.output import console as make

    return make()


def _version(value: bool) -> None:
    if value:
        print(f"advisor {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Alignment Advisor: recommend an alliance, a partnership tier or a coalition, and show why.

    Start here:

    \b
      advisor ask                                       a guided consultation, one question at a time
      advisor advise cases/library/us-japan-1960.yaml   advise on a case file
      advisor evaluate cases/library                    every case of a library, with accuracy

    Each command has its own help with examples: advisor COMMAND -h.
    Case files and the JSON results are described in:

    \b
      docs/case-format.md
    """


def knowledge_base(rules: Path | None, option: str = "--rules") -> Any:
    """Load a knowledge base, turning its problems into a one-line failure that names the option."""
    from advisor.rulebase import RuleBaseError, load_knowledge_base

    try:
        return load_knowledge_base(rules)
    except RuleBaseError as exc:
        check = "advisor rules check" + (f" {rules}" if rules else "")
        more = f" (and {len(exc.problems) - 1} more; run '{check}')" if len(exc.problems) > 1 else ""
        fail(f"{option}: invalid knowledge base: {exc.problems[0]}{more}")


def load_one_case(path: Path, case_id: str | None) -> Any:
    """Read a case file and return the one case asked for, or fail with a clear message."""
    from advisor.cases import load_file

    if not os.path.lexists(path):
        fail(f"{path}: no such file")
    if path.is_dir():
        fail(f"{path}: is a directory; this command takes one case file ('advisor evaluate' takes many)")
    loaded, errors = load_file(path)
    if errors:
        for problem in errors[1:]:
            error(str(problem))
        fail(str(errors[0]))
    if case_id is not None:
        chosen = [c for c in loaded if c.case.id == case_id]
        if not chosen:
            fail(f"{path}: no case {case_id!r}; it holds {', '.join(c.case.name for c in loaded)}")
        return chosen[0].case
    if len(loaded) > 1:
        names = ", ".join(c.case.name for c in loaded)
        fail(f"{path}: holds {len(loaded)} cases ({names}); choose one with --case ID")
    return loaded[0].case


def advise(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="A case file (YAML or JSON).", show_default=False)
    ],
    case: Annotated[
        str | None, typer.Option("--case", metavar="ID", help="The case id, in a file of several.")
    ] = None,
    as_json: JsonOption = False,
    trace: Annotated[bool, typer.Option("--trace", help="Show every firing, in order.")] = False,
    rules: RulesOption = None,
) -> None:
    """Recommend a tie for the case in FILE, with its reasons and the trace.

    Examples:

    \b
      advisor advise cases/library/us-japan-1960.yaml
      advisor advise cases/library/us-japan-1960.yaml --trace
      advisor advise cases/library/us-japan-1960.yaml --json
      advisor advise cases/quad-2007.yaml --case quad-2007

    The case format and the JSON object are described in:

    \b
      docs/case-format.md
    """
    from advisor.engine import get_engine
    from advisor.precedents import precedents
    from advisor.recommendation import advise as run_advice

    chosen = load_one_case(file, case)
    kb = knowledge_base(rules)
    rec = run_advice(chosen, engine=get_engine(rules))
    near = precedents(chosen, exclude=chosen.id, kb=kb)
    if as_json:
        print(json_text({**rec.to_dict(), "precedents": near.to_dict(rec.outcome)}))
        return
    from advisor.explain import how
    from advisor.render.terminal import advice, heading

    title = heading(chosen.id, chosen.title, chosen.parties)
    console().print(advice(rec, how(rec), title=title, full_trace=trace, precedents=near))


@rules_app.command("list", short_help="List the rules of the knowledge base.")
def rules_list(
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="Only rules of one kind: signal, evidence, caution, combine."),
    ] = None,
    as_json: JsonOption = False,
    rules: RulesOption = None,
) -> None:
    """List the rules of the knowledge base."""
    kb = knowledge_base(rules)
    chosen = [r for r in kb.rules if kind is None or r.kind == kind]
    if kind is not None and kind not in ("signal", "evidence", "caution", "combine"):
        fail(f"--kind: {kind!r} is not one of signal, evidence, caution, combine")
    if as_json:
        print(json_text([_rule_json(r, kb) for r in chosen]))
        return
    from advisor.render.terminal import rule_table

    console().print(rule_table(chosen))
    print(printable(f"{len(chosen)} rules, {len(kb.signals)} signals, from {kb.directory}"))


@rules_app.command("show", short_help="Show one rule in plain language.")
def rules_show(
    rule_id: Annotated[str, typer.Argument(metavar="ID", help="A rule id, e.g. THR-01.")],
    as_json: JsonOption = False,
    rules: RulesOption = None,
) -> None:
    """Show one rule in plain language: its conditions, conclusion, rationale and source."""
    kb = knowledge_base(rules)
    try:
        rule = kb.rule(rule_id)
    except KeyError:
        fail(f"no rule {rule_id!r}; 'advisor rules list' shows them all")
    if as_json:
        print(json_text(_rule_json(rule, kb)))
        return
    from advisor.render.terminal import rule_detail

    console().print(rule_detail(rule, kb))


@rules_app.command("check", short_help="Check a knowledge base; every problem with file and line.")
def rules_check(
    directory: Annotated[
        Path | None, typer.Argument(metavar="[DIR]", help="A rules directory (default: the bundled one).")
    ] = None,
) -> None:
    """Check a knowledge base: every problem with its file and line; exit 2 if there are any."""
    from advisor.rulebase import RuleBaseError, load_knowledge_base

    try:
        kb = load_knowledge_base(directory)
    except RuleBaseError as exc:
        for problem in exc.problems:
            sys.stderr.write(printable(problem) + "\n")
        fail(f"{len(exc.problems)} problem(s) in the knowledge base")
    print(printable(f"ok: {len(kb.rules)} rules, {len(kb.signals)} signals in {kb.directory}"))


def _rule_json(rule: Any, kb: Any) -> dict[str, Any]:
    return {
        "id": rule.id,
        "title": rule.title,
        "kind": rule.kind,
        "if": rule.premises(),
        "then": rule.conclusion(),
        **({"evidence": {"outcomes": list(rule.outcomes), "cf": rule.cf}} if rule.kind == "evidence" else {}),
        "rationale": rule.rationale,
        "source": {"name": kb.describe_source(rule), "passage": rule.source.passage},
        "where": rule.where,
    }


def schema() -> None:
    """Print the JSON Schema of a case file, for editors.

    Example:

    \b
      advisor schema > case.schema.json
    """
    from advisor.cases import case_schema

    print(json_text(case_schema()))


def _register_commands() -> None:
    """Add the commands in the order a newcomer needs them: ask, advise, explain, report, ..."""
    from advisor.commands import ask, evaluate, exercise, explain, precedents

    ask.register(app)
    app.command(short_help="Recommend a tie for one case file, and show why.")(advise)
    explain.register(app)
    precedents.register(app)
    evaluate.register(app)
    exercise.register(app)
    app.command(short_help="Print the JSON Schema of a case file, for editors.")(schema)
    app.add_typer(rules_app, name="rules", short_help="Read and check the knowledge base.")
    _plain_placeholders()


def _plain_placeholders() -> None:
    """Show arguments as their metavar alone (FILE, PATH...), like options, not as {FILE} <path>."""
    from typer.core import TyperArgument

    if hasattr(TyperArgument, "_usage_display_name") and hasattr(TyperArgument, "display_type_rich"):
        shown_type = TyperArgument.display_type_rich
        usage_name = TyperArgument._usage_display_name

        def display_type(self: Any, ctx: Any) -> str | None:
            return None if self.metavar else shown_type(self, ctx)

        def usage(self: Any) -> str:
            return str(self.metavar) if self.metavar else str(usage_name(self))

        TyperArgument.display_type_rich = display_type  # type: ignore[method-assign]
        TyperArgument._usage_display_name = usage  # type: ignore[method-assign]


_register_commands()


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program stood, so that every clean-up runs (workers end)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


def _interruption(exc: BaseException) -> KeyboardInterrupt | None:
    """Return the interruption an exit was made of (typer turns Ctrl-C into a silent exit 130)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _run() -> int:
    """Run the typer application and return its exit status; re-raise an interruption."""
    try:
        app()
    except SystemExit as exc:
        interruption = _interruption(exc)
        if interruption is not None:
            raise interruption from None
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        error(str(exc.code))
        return 1
    return 0


def main() -> None:
    """Run the command line; no traceback ever reaches the user.

    Exit status: that of the command; 2 when standard output cannot be written
    (closed or full); 128 + the signal's number when interrupted (Ctrl-C 130,
    SIGTERM 143, SIGHUP 129), after every worker process has ended; 70 for an
    internal error.
    """
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _on_signal)
    try:
        setup_streams()
        install()
        status = _run()
        sys.stdout.flush()
    except KeyboardInterrupt as exc:
        signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):  # a second signal must not cut the message short
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), signal.SIG_IGN)
        error(f"interrupted ({signal.Signals(signum).name})")
        status = 128 + signum
    except BrokenPipeError:  # the reader left (e.g. | head): nothing more to say
        silence_stdout()
        status = 0
    except OutputError as exc:
        silence_stdout()
        error(str(exc))
        status = 2
    except Exception as exc:  # the last line of defence: one line, never a traceback
        error(f"internal error: {type(exc).__name__}: {exc}")
        status = 70
    sys.exit(status)
