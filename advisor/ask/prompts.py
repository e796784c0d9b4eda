"""Asking in the terminal: menus to pick from and lines to type, behind one small interface.

The consultation talks to a ``Prompter``; the terminal one is built on questionary
(prompt_toolkit). Tests of the question flow pass a scripted one instead.
Leaving a prompt -- Ctrl-C, or Ctrl-D for end of input -- raises KeyboardInterrupt
or EOFError, so the consultation can save what was typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import questionary
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

from advisor.ask.lines import read_line


@dataclass(frozen=True)
class Option:
    """One entry of a menu: the value returned, the text shown, and an optional key that picks it."""

    value: str
    title: str
    key: str | None = None


Entries = Sequence[Option | None]  # None draws a separator


def numbered(titles: Sequence[str]) -> list[Option]:
    """Return menu options whose values are their positions; keys 1 to 9 pick the first nine at once."""
    return [
        Option(str(i), f"{title} ({i + 1})", str(i + 1)) if i < 9 else Option(str(i), title)
        for i, title in enumerate(titles)
    ]


class Prompter(Protocol):
    """What a consultation needs from a terminal."""

    def select(self, message: str, options: Entries, default: str | None = None, hint: str = "") -> str:
        """Let the user pick one option; return its value."""
        ...

    def text(self, message: str, default: str = "") -> str:
        """Let the user type one line (the default pre-typed); return it."""
        ...


class TerminalPrompter:
    """A Prompter for a real terminal: questionary menus, readline lines."""

    def select(self, message: str, options: Entries, default: str | None = None, hint: str = "") -> str:
        """Show a menu and return the value picked (arrow keys and Enter, or an option's key)."""
        choices = [
            questionary.Separator() if o is None else questionary.Choice(title=o.title, value=o.value)
            for o in options
        ]
        values = {o.value for o in options if o is not None}
        question = questionary.select(
            message,
            choices=choices,
            default=default if default in values else None,
            instruction=hint or " ",
            qmark="?",
            erase_when_done=True,  # the consultation echoes the answer in its own words
        )
        app = question.application
        bindings = [b for b in (app.key_bindings, _shortcuts(options)) if b is not None]
        app.key_bindings = merge_key_bindings(bindings)
        answer: Any = question.unsafe_ask()
        return str(answer)

    def text(self, message: str, default: str = "") -> str:
        """Read one line with line editing; the default is pre-typed."""
        return read_line(message, default)


def _shortcuts(options: Entries) -> KeyBindings:
    """Bind each option's key to picking it at once, and Ctrl-D to end of input."""
    bindings = KeyBindings()
    for option in options:
        if option is not None and option.key:
            bindings.add(option.key, eager=True)(_picker(option.value))

    @bindings.add("c-d", eager=True)
    def _end_of_input(event: Any) -> None:
        event.app.exit(exception=EOFError(), style="class:aborting")

    return bindings


def _picker(value: str) -> Any:
    def pick(event: Any) -> None:
        event.app.exit(result=value)

    return pick
