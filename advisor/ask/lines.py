"""Reading one line of text in the terminal, with an editable default.

Standard library only: the first question (the parties' names) is asked with it
while the rest of the advisor is still loading.
"""

from __future__ import annotations

from types import ModuleType


def read_line(message: str, default: str = "") -> str:
    """Ask for one line and return it stripped; raise EOFError or KeyboardInterrupt if the user leaves."""
    readline = _readline()
    if readline is None:  # no line editing here: show the default and take an empty line as it
        shown = f" [{default}]" if default else ""
        return input(f"? {message}{shown} ").strip() or default
    readline.set_startup_hook(lambda: readline.insert_text(default))
    try:
        return input(f"? {message} ").strip()
    finally:
        readline.set_startup_hook(None)


def _readline() -> ModuleType | None:
    """Return the readline module where the platform has one."""
    try:
        import readline
    except ImportError:
        return None
    return readline
