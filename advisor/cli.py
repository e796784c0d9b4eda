"""The ``advisor`` command: a thin layer over the library.

Heavy modules (experta, pydantic models, rich renderables) are imported inside
the commands, so that ``advisor --help`` starts fast.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType
from typing import Annotated, Any

import typer

from advisor import __version__
from advisor.commands.common import CONTEXT, one_line_usage_errors
from advisor.output import OutputError, error, install, setup_streams, silence_stdout

PIPE_SIGNAL = getattr(signal, "SIGPIPE", 13)  # the status a reader leaving early gives: 128 + 13

app = typer.Typer(
    name="advisor",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings=CONTEXT,
)


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


def _register_commands() -> None:
    """Add the commands in the order a newcomer needs them: ask, advise, explain, report, ..."""
    from advisor.commands import advise, ask, evaluate, exercise, explain, precedents, rules, schema

    for command in (ask, advise, explain, precedents, evaluate, exercise, schema, rules):
        command.register(app)
    _plain_placeholders()
    one_line_usage_errors()


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


def _cause(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    """Return the exception of a kind an exit was made of, following its causes and contexts.

    typer turns Ctrl-C into a silent exit 130 and click a broken pipe into an exit 1; the
    chain can loop (a broken pipe's exit is the context of its own context), so it is walked once.
    """
    seen: BaseException | None = exc
    visited: set[int] = set()
    while seen is not None and id(seen) not in visited:
        if isinstance(seen, kind):
            return seen
        visited.add(id(seen))
        seen = seen.__cause__ or seen.__context__
    return None


def _run() -> int:
    """Run the typer application and return its exit status; re-raise an interruption."""
    try:
        app()
    except SystemExit as exc:
        interruption = _cause(exc, KeyboardInterrupt)
        if interruption is not None:
            raise interruption from None
        if _cause(exc, BrokenPipeError) is not None:
            raise BrokenPipeError from None
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        error(str(exc.code))
        return 1
    return 0


def main() -> None:
    """Run the command line; no traceback ever reaches the user.

    Exit status: that of the command; 2 when standard output cannot be written
    (closed or full); 141 (128 + SIGPIPE), silently, when its reader leaves early
    (``| head``); 128 + the signal's number when interrupted (Ctrl-C 130,
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
    except BrokenPipeError:  # the reader left (e.g. | head): nothing more to say, as SIGPIPE would
        silence_stdout()
        status = 128 + PIPE_SIGNAL
    except OutputError as exc:
        silence_stdout()
        error(str(exc))
        status = 2
    except Exception as exc:  # the last line of defence: one line, never a traceback
        error(f"internal error: {type(exc).__name__}: {exc}")
        status = 70
    sys.exit(status)
