"""Reading one line of text in the terminal, with an editable default.

Standard library only: the first question (the parties' names) is asked with it
while the rest of the advisor is still loading.
"""

from __future__ import annotations

from types import ModuleType


def read_line(message: str, default: str = "") -> str:
    """Ask for one line and return it stripped; raise EOFError or KeyboardInterrupt if the user leaves,
    with what was on the line then as its ``typed`` attribute (see ``typed_when_left``)."""
    readline = _readline()
    if readline is None:  # no line editing here: show the default and take an empty line as it
        shown = f" [{default}]" if default else ""
        return input(f"? {message}{shown} ").strip() or default
    readline.set_startup_hook(lambda: readline.insert_text(default))
    try:
        return input(f"? {message} ").strip()
    except (KeyboardInterrupt, EOFError) as exc:
        setattr(exc, "typed", readline.get_line_buffer())  # noqa: B010  (not an attribute of the class)
        raise
    finally:
        readline.set_startup_hook(None)


def typed_when_left(exc: BaseException) -> str:
    """Return what was on the line when the user left it (Ctrl-C, Ctrl-D), as far as it is known."""
    typed = getattr(exc, "typed", "")
    return typed if isinstance(typed, str) else ""


def _readline() -> ModuleType | None:
    """Return the readline module where the platform has one."""
    try:
        import readline
    except ImportError:
        return None
    return readline
