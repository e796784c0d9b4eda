"""A mistake on the command line, said in one line that names the option, the argument or the value.

typer checks a typed option or argument (an integer, a number, a choice, a path) and, when the
value will not do, prints click's usage block with a message written for programmers
(``Invalid value for '--jobs' / '-j': Input should be a valid integer, ...``). The advisor says
``advisor: --jobs: 'abc' is not a whole number; give 1 or more`` instead, exit status 2, for
every command at once (``common.one_line_usage_errors`` installs it). An empty path is refused
the same way: ``Path('')`` is ``.``, the current folder, which nobody means by ``--rules ''``.

Any other mistake click's parser finds (an unknown option or command, a missing argument, an option
without its value, an extra argument) is one line too, with click's guess folded in and where to
look: ``advisor: no such option: --jbs (did you mean --jobs or --json?); see 'advisor evaluate -h'``.

Only typer is imported here (it is already loaded when a command runs).
"""

from __future__ import annotations

from typing import Any


def option_name(param: Any) -> str:
    """Return how the user names a parameter: its options (``--jobs/-j``) or an argument's metavar."""
    opts = getattr(param, "opts", None) or []
    if getattr(param, "param_type_name", "") == "option" and opts:
        return "/".join(opts)
    return str(getattr(param, "metavar", None) or param.name or "").strip("[]").removesuffix("...").upper()


def _descriptor(param: Any) -> Any:
    return getattr(param, "type_descriptor", None)


def is_path(param: Any) -> bool:
    """Return whether a parameter takes a path (``Path``, ``Path | None``, ``list[Path]``)."""
    descriptor = _descriptor(param)
    if descriptor is None:
        return False
    if getattr(descriptor, "is_path", False):
        return True
    from pathlib import Path
    from typing import get_args

    return Path in get_args(descriptor.annotation)


def _range(param: Any) -> str:
    """Return what a ranged number may be (``; give 1 or more``), or nothing."""
    info = getattr(_descriptor(param), "parameter_info", None)
    low, high = getattr(info, "min", None), getattr(info, "max", None)
    if low is not None and high is not None:
        return f"; give {low} to {high}"
    if low is not None:
        return f"; give {low} or more"
    if high is not None:
        return f"; give {high} or less"
    return ""


def _choices(param: Any) -> str:
    choices = getattr(_descriptor(param), "choices", None) or ()
    return ", ".join(str(getattr(c, "value", c)) for c in choices)


def describe(exc: Any, raw: Any = None) -> str:
    """Return the one line for a ``BadParameter``: the option, the value given, what it should be.

    The value is the one the check refused (pydantic's ``input``; for an option given several
    times, the one at fault), else ``raw`` (what the command line gave).
    """
    from typer._click.exceptions import UsageError

    param = getattr(exc, "param", None)
    if param is None:
        return str(exc.format_message() if isinstance(exc, UsageError) else exc)
    name = option_name(param)
    cause = exc.__cause__
    errors = cause.errors() if hasattr(cause, "errors") else []
    first = errors[0] if errors else {}
    value = first.get("input", raw)
    shown = repr(value) if isinstance(value, str) else repr(str(value)) if value is not None else "the value"
    kind = first.get("type", "")
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return f"{name}: {shown} is not a whole number{_range(param)}"
    if kind in ("float_parsing", "float_type", "finite_number"):
        return f"{name}: {shown} is not a number{_range(param)}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return f"{name}: {shown} is out of range{_range(param)}"
    if _choices(param):
        return f"{name}: {shown} is not one of {_choices(param)}"
    message = str(first.get("msg") or exc.message).rstrip(".")
    return f"{name}: {shown}: {message[:1].lower()}{message[1:]}"


def empty_path(command: Any, values: dict[Any, list[Any]]) -> str | None:
    """Return the one line refusing an empty path given to a path option or argument, if one was."""
    for param in getattr(command, "params", []):
        given = values.get(param, [])
        if is_path(param) and any(v == "" for v in given):
            return f"{option_name(param)}: the path is empty; name a file or folder"
    return None


def _alternatives(names: list[str]) -> str:
    """Return `` (did you mean A or B?)`` for click's guesses, or nothing."""
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f" (did you mean {listed}?)"


def usage_line(exc: Any, ctx: Any = None) -> str:
    """Return the one line for a mistake click's parser found, ending with the command's help to see.

    click says ``No such command 'evalute'. Did you mean 'evaluate'?`` or ``Missing argument
    'FILE'.`` after a usage block; here that is ``no such command 'evalute' (did you mean
    'evaluate'?); see 'advisor -h'``.
    """
    import re

    from typer._click.exceptions import MissingParameter, NoSuchOption

    param = getattr(exc, "param", None)
    if isinstance(exc, NoSuchOption):
        text = f"no such option: {exc.option_name}{_alternatives(sorted(exc.possibilities or []))}"
    elif isinstance(exc, MissingParameter) and param is not None:
        kind = exc.param_type or param.param_type_name
        choices = f" (give one of {_choices(param)})" if _choices(param) else ""
        text = f"missing {kind} {option_name(param)}{choices}"
    else:
        text = re.sub(r"\.? Did you mean (.*)\?$", r" (did you mean \1?)", str(exc.format_message()))
        text = text.rstrip(".")
        text = text[:1].lower() + text[1:]
    ctx = getattr(exc, "ctx", None) or ctx  # click's parser leaves it out of some (an option's missing value)
    if ctx is None:
        return text
    helps = ctx.help_option_names or ["--help"]
    return f"{text}; see '{ctx.command_path} {helps[0]}'"
