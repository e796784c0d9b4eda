"""Asking in the terminal: choices to type and lines to type, behind one small interface.

A choice is answered by typing it: an answer's name, a unique prefix of it, or its
number, then Enter. Commands (why, help, unknown, back) start with ``?``, which no
answer does, so nothing a user types for an answer can ever run a command. The
arrow keys put the previous or next answer's name on the line, so what is recorded
is always what is shown. Nothing is chosen until something is on the line: Enter
on an empty line asks again, and a pre-filled answer is pre-typed, visibly.

The consultation talks to a ``Prompter``; tests of the question flow pass a scripted
one. Leaving a prompt -- Ctrl-C, or Ctrl-D for end of input -- raises
KeyboardInterrupt or EOFError, so the consultation can save what was typed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from advisor.ask.lines import read_line

if TYPE_CHECKING:
    from rich.console import Console


@dataclass(frozen=True)
class Option:
    """One choice: the value returned, the text shown, and what the user can type to pick it.

    ``key`` is the name to type (commands start with ``?``); ``number`` picks it too;
    ``aliases`` are other names for it (``true`` for ``yes``). Options that ``combine`` can be
    typed together as one answer, "high, existential" or "high or existential" (see ``pick``).
    """

    value: str
    title: str
    key: str | None = None
    number: int | None = None
    aliases: tuple[str, ...] = ()
    combines: bool = False

    @property
    def is_command(self) -> bool:
        """Return whether this option is a command (typed with a leading ``?``)."""
        return bool(self.key and self.key.startswith("?"))


Entries = Sequence[Option | None]  # None draws a separator


SEVERAL = "|"  # joins the values of options picked together: "high|existential"
SEPARATED = "separated by commas or 'or'"  # how several answers are typed, as the help and errors say
_PARTS = re.compile(r"\s*(?:,|\bor\b)\s*", re.IGNORECASE)  # what separates them when typed


class NotAChoice(ValueError):
    """What was typed picks no option; the message says what can be typed instead."""


def numbered(titles: Sequence[str]) -> list[Option]:
    """Return options whose values are their positions, picked by typing their number (from 1)."""
    return [Option(str(i), title, number=i + 1) for i, title in enumerate(titles)]


def normal(text: str) -> str:
    """Return typed text as names are compared: lower case, blanks and hyphens as underscores."""
    return "_".join(text.strip().lower().replace("-", " ").split())


def pick(typed: str, options: Entries) -> str:
    """Return the value of the option that typed text names; raise NotAChoice saying why none does.

    Exact names and aliases win; then a number; then a prefix shared by one option only.
    Text starting with ``?`` is matched against the commands only, and other text never is.
    Where options combine, parts separated by commas or "or" pick each one (``pick_several``).
    """
    shown = [o for o in options if o is not None]
    if several_parts(typed) and any(o.combines for o in shown):
        return pick_several(typed, shown)
    text = normal(typed)
    if not text:
        raise NotAChoice(f"Nothing typed. {how_to_answer(shown)}")
    names = {normal(name): o for o in shown for name in (o.key, *o.aliases) if name}
    if text in names:
        return names[text].value
    if text.isdigit():
        for option in shown:
            if option.number == int(text):
                return option.value
        numbers = [o.number for o in shown if o.number is not None]
        span = f"from {min(numbers)} to {max(numbers)}" if numbers else "not used here"
        raise NotAChoice(f"There is no answer {text}; the numbers go {span}.")
    matches = list({id(o): o for name, o in names.items() if name.startswith(text)}.values())
    if len(matches) == 1:
        return matches[0].value
    if matches:
        raise NotAChoice(f"{typed.strip()!r} could be {_either(matches)}; type more letters.")
    raise NotAChoice(f"{typed.strip()!r} is not one of the answers. {how_to_answer(shown)}")


def several_parts(typed: str) -> list[str] | None:
    """Return the parts of text typed as several answers ("high, existential"), or None for one answer."""
    parts = _PARTS.split(typed.strip())
    return parts if len(parts) > 1 else None


def pick_several(typed: str, options: Sequence[Option]) -> str:
    """Return the values of the options that typed parts pick, joined by ``SEVERAL`` in the options'
    order, or the one value when they pick only one; raise NotAChoice naming a part that picks none."""
    combining = [o for o in options if o.combines]
    picked: set[str] = set()
    for part in several_parts(typed) or [typed]:
        if not part.strip():  # "high," or "high or": not "nothing typed", which the whole line is not
            raise NotAChoice(f"In {typed.strip()!r}: an answer is missing before or after a comma or 'or'.")
        try:
            picked.add(pick(part, combining))
        except NotAChoice as problem:
            raise NotAChoice(f"In {typed.strip()!r}: {problem} Type several answers {SEPARATED}.") from None
    return SEVERAL.join(o.value for o in combining if o.value in picked)


def to_mend(typed: str, options: Entries) -> str:
    """Return text typed as several answers to put back on the line to mend, when some of its parts
    name an answer; else "" (nothing in it is an answer here: the line starts empty)."""
    combining = [o for o in options if o is not None and o.combines]
    for part in several_parts(typed) or []:
        try:
            pick(part, combining)
        except NotAChoice:
            continue
        return typed
    return ""


def after_kept(line: str, kept: str) -> str:
    """Return what was typed on a line that started with ``kept`` (a name or an answer put on it):
    a command typed after it (``Japan?back``) is the command alone, since no answer or name is
    written with one; anything else is the whole line."""
    rest = line.strip()[len(kept.strip()) :].strip() if kept.strip() else ""
    if rest.startswith("?") and line.strip().startswith(kept.strip()):
        return rest
    return line


def how_to_answer(options: Sequence[Option]) -> str:
    """Say what can be typed at a prompt with these options."""
    names = [o.key for o in options if o.key and not o.is_command]
    commands = [o.key for o in options if o.is_command and o.key]
    ways = []
    if names:
        ways.append("a name (" + ", ".join(names[:8]) + (", …" if len(names) > 8 else "") + ")")
    numbers = [o.number for o in options if o.number is not None]
    if numbers:
        ways.append(f"a number ({min(numbers)}-{max(numbers)})" if len(numbers) > 1 else "a number")
    text = "Type " + " or ".join(ways or ["one of the choices"]) + ", then Enter"
    return text + (f"; or a command: {', '.join(commands)}." if commands else ".")


def _either(options: Sequence[Option]) -> str:
    names = [str(o.key) for o in options]
    return ", ".join(names[:-1]) + " or " + names[-1]


def default_text(options: Entries, default: str | None) -> str:
    """Return what to pre-type for a default value: its name, or its number if it has no name
    (several values joined by ``SEVERAL``: their names joined by "or"); a value a command gives
    (``?unknown``) by the answer's name (``unknown``), not by the command."""
    if default is not None and SEVERAL in default:
        return " or ".join(default_text(options, part) for part in default.split(SEVERAL))
    for option in options:
        if option is not None and option.value == default:
            if option.is_command:  # an answer given by a command (?unknown): its name as an answer
                return next((a for a in option.aliases if not a.startswith("?")), str(option.key))
            return option.key or (str(option.number) if option.number is not None else "")
    return ""


class Prompter(Protocol):
    """What a consultation needs from a terminal."""

    def select(self, message: str, options: Entries, default: str | None = None, hint: str = "") -> str:
        """Let the user pick one option; return its value."""
        ...

    def text(self, message: str, default: str = "") -> str:
        """Let the user type one line (the default pre-typed); return it."""
        ...


class TerminalPrompter:
    """A Prompter for a real terminal: choices typed on a prompt_toolkit line, lines read with readline."""

    def __init__(self, console: Console):
        self.console = console

    def select(self, message: str, options: Entries, default: str | None = None, hint: str = "") -> str:
        """Show the choices, then read typed lines until one names an option; return its value."""
        from rich.text import Text

        self.console.print(choice_list(message, options, hint))
        keep, again = default_text(options, default), ""
        while True:
            typed = after_kept(_read_choice(options, keep, again), again) or keep
            try:
                return pick(typed, options)
            except NotAChoice as problem:
                # several answers, some understood: kept on the line to mend, once (not again and again)
                again = "" if again else to_mend(typed, options)
                kept = " It is kept on the line to mend (Ctrl-U clears it)." if again else ""
                self.console.print(Text(f"  {problem}{kept}", style="yellow"))

    def text(self, message: str, default: str = "") -> str:
        """Read one line with line editing; the default is pre-typed."""
        return read_line(message, default)


def choice_list(message: str, options: Entries, hint: str = "") -> Any:
    """Return the question and its choices as they are printed: numbered answers, then commands."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="bold", min_width=3)
    table.add_column()
    commands = []
    for option in options:
        if option is None:
            continue
        if option.is_command:
            commands.append(Text.assemble((str(option.key), "bold"), " ", option.title))
            continue
        table.add_row(str(option.number) if option.number is not None else "", option.title)
    parts: list[Any] = [Text.assemble(("? ", "bold green"), (message, "bold")), table]
    if commands:
        parts.append(Text("   ").join(commands).append_text(Text("")))
    parts.append(Text(hint or "Type a name or a number, then Enter (↑↓ offer each answer).", style="dim"))
    return Group(*parts)


def _read_choice(options: Entries, keep: str, again: str = "") -> str:
    """Read one typed choice on a ``> `` line; ↑↓ put each answer's name on it, Tab completes.

    An answer to keep is shown, dimmed, on the empty line ("Enter keeps it"); typing replaces it.
    ``again`` is put on the line to be mended (several answers, one not understood).
    """
    from prompt_toolkit import prompt
    from prompt_toolkit.completion import WordCompleter
    from prompt_toolkit.formatted_text import FormattedText
    from prompt_toolkit.key_binding import KeyBindings

    names = [default_text(options, o.value) for o in options if o is not None and not o.is_command]
    names = [n for n in names if n]
    bindings = KeyBindings()

    def cycle(event: Any, step: int) -> None:
        if not names:
            return
        buffer = event.current_buffer
        current = normal(buffer.text)
        current = current or normal(keep)
        here = next((i for i, n in enumerate(names) if normal(n) == current), -1 if step > 0 else 0)
        buffer.text = names[(here + step) % len(names)]
        buffer.cursor_position = len(buffer.text)

    bindings.add("up")(lambda event: cycle(event, -1))
    bindings.add("down")(lambda event: cycle(event, +1))
    words = [str(o.key) for o in options if o is not None and o.key]
    completer = WordCompleter(words, ignore_case=True, sentence=True)
    placeholder = FormattedText([("fg:ansibrightblack", f"{keep}  (Enter keeps it)")]) if keep else None
    result: str = prompt(
        "> ",
        key_bindings=bindings,
        completer=completer,
        reserve_space_for_menu=0,
        placeholder=placeholder,
        default=again,
    )
    return result
