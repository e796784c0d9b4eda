"""The ``advisor`` command: a thin layer over the library.

Heavy modules (experta, pydantic models, rich renderables) are imported inside
the commands, so that ``advisor --help`` starts fast.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import IO, Annotated, Any, NoReturn, cast

import typer

from advisor import __version__

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
    """Print one line on standard error and exit."""
    sys.stderr.write(f"advisor: {message}\n")
    raise typer.Exit(status)


def console() -> Any:
    """Return a rich Console for standard output (honours NO_COLOR and the terminal width).

    When standard output is not a terminal, lines lose the blanks rich pads them with.
    """
    from rich.console import Console

    if sys.stdout.isatty():
        return Console(highlight=False)
    return Console(highlight=False, file=cast("IO[str]", TrimmedLines(sys.stdout)))


class TrimmedLines:
    """A text stream that writes each line without trailing blanks (styles at its end are kept)."""

    _TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$")

    def __init__(self, stream: Any):
        self.stream, self.pending = stream, ""

    def write(self, text: str) -> int:
        """Write the complete lines of what was written so far; keep the last partial line."""
        lines = (self.pending + text).split("\n")
        self.pending = lines.pop()
        if lines:
            self.stream.write("".join(self._TRAILING.sub(r"\1", line) + "\n" for line in lines))
        return len(text)

    def flush(self) -> None:
        """Write any partial line and flush the stream."""
        if self.pending:
            self.stream.write(self._TRAILING.sub(r"\1", self.pending))
            self.pending = ""
        self.stream.flush()

    def isatty(self) -> bool:
        """Return False: this stream is used only when standard output is not a terminal."""
        return False

    def fileno(self) -> int:
        """Return the file descriptor of the underlying stream."""
        return int(self.stream.fileno())


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
      advisor ask                                  a guided consultation, one question at a time
      advisor advise cases/us-japan-1960.yaml      advise on a case file
      advisor evaluate cases/                      every case of a library, with accuracy

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

    if not path.exists():
        fail(f"{path}: no such file")
    if path.is_dir():
        fail(f"{path}: is a directory; this command takes one case file ('advisor evaluate' takes many)")
    loaded, errors = load_file(path)
    if errors:
        for error in errors[1:]:
            sys.stderr.write(f"advisor: {error}\n")
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
      advisor advise cases/us-japan-1960.yaml
      advisor advise cases/us-japan-1960.yaml --trace
      advisor advise cases/us-japan-1960.yaml --json
      advisor advise cases/quad-2007.yaml --case quad-2007

    The case format and the JSON object are described in:

    \b
      docs/case-format.md
    """
    from advisor.engine import get_engine
    from advisor.recommendation import advise as run_advice

    chosen = load_one_case(file, case)
    knowledge_base(rules)
    rec = run_advice(chosen, engine=get_engine(rules))
    if as_json:
        print(json.dumps(rec.to_dict(), indent=2, ensure_ascii=False))
        return
    from advisor.render.terminal import advice, heading

    console().print(advice(rec, title=heading(chosen.id, chosen.title, chosen.parties), full_trace=trace))


@rules_app.command("list", short_help="List the rules of the knowledge base.")
def rules_list(
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="Only rules of one kind: signal, propose, caution, resolve."),
    ] = None,
    as_json: JsonOption = False,
    rules: RulesOption = None,
) -> None:
    """List the rules of the knowledge base."""
    kb = knowledge_base(rules)
    chosen = [r for r in kb.rules if kind is None or r.kind == kind]
    if kind is not None and kind not in ("signal", "propose", "caution", "resolve"):
        fail(f"--kind: {kind!r} is not one of signal, propose, caution, resolve")
    if as_json:
        print(json.dumps([_rule_json(r, kb) for r in chosen], indent=2, ensure_ascii=False))
        return
    from advisor.render.terminal import rule_table

    console().print(rule_table(chosen))
    print(f"{len(chosen)} rules, {len(kb.signals)} signals, from {kb.directory}")


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
        print(json.dumps(_rule_json(rule, kb), indent=2, ensure_ascii=False))
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
            sys.stderr.write(f"{problem}\n")
        fail(f"{len(exc.problems)} problem(s) in the knowledge base")
    print(f"ok: {len(kb.rules)} rules, {len(kb.signals)} signals in {kb.directory}")


def _rule_json(rule: Any, kb: Any) -> dict[str, Any]:
    return {
        "id": rule.id,
        "title": rule.title,
        "kind": rule.kind,
        "if": rule.premises(),
        "then": rule.conclusion(),
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

    print(json.dumps(case_schema(), indent=2))


def _register_commands() -> None:
    """Add the commands in the order a newcomer needs them: ask, advise, explain, report, evaluate, ..."""
    from advisor.commands import ask, evaluate, explain

    ask.register(app)
    app.command(short_help="Recommend a tie for one case file, and show why.")(advise)
    explain.register(app)
    evaluate.register(app)
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


def main() -> None:
    """Run the command line; no traceback ever reaches the user."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("advisor: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # the last line of defence: one line, never a traceback
        sys.stderr.write(f"advisor: internal error: {type(exc).__name__}: {exc}\n")
        sys.exit(70)
