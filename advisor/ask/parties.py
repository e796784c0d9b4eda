"""The first question of a consultation: who the parties are.

Asked with plain line input, so that it can appear before the rest of the
advisor has loaded.
"""

from __future__ import annotations

from collections.abc import Callable

from advisor.ask.lines import typed_when_left
from advisor.ask.prompts import after_kept
from advisor.ask.session import Session, clean_name
from advisor.output import printable
from advisor.parties import named

LABELS = ("First party's name", "Second party's name")


def ask_parties(session: Session, read: Callable[[str, str], str], say: Callable[[str], None]) -> None:
    """Ask the parties' names, one a line: two for a dyad, more for a group until an empty line.

    ``?back`` goes back to the previous name; no name can start with ``?``; a name given twice
    (whatever its case) is refused, since it would make a pair look like a group.
    """
    defaults = list(session.suggested_parties)
    names: list[str] = []
    while True:
        count = len(names)
        message = LABELS[count] if count < len(LABELS) else f"Party {count + 1} (Enter to go on)"
        try:
            default = defaults[count] if count < len(defaults) else ""
            # a command typed after the name put on the line is the command (``Japan?back``)
            name = clean_name(after_kept(read(message, default), default))
            name = _command_at_end(name)
        except (KeyboardInterrupt, EOFError) as exc:  # keep a name typed but not yet entered
            left = clean_name(typed_when_left(exc))
            if left and not left.startswith("?"):
                session.suggested_parties = [*names, left, *defaults[count + 1 :]]
            raise
        if name.startswith("?"):
            if not "?back".startswith(name.lower()) or name == "?":
                say("  At a name the only command is ?back; a name cannot start with ?.")
            elif names:
                names.pop()
            else:
                say("  This is the first name; there is nothing to go back to.")
        elif name and named(name, names):
            say(f"  {printable(name)} is already a party; each party is named once.")
        elif name:
            names.append(name)
            # kept as it is typed: leaving at the next name must not lose this one
            defaults = names + defaults[len(names) :]
            session.suggested_parties = list(defaults)
        elif count >= len(LABELS):
            break
        else:
            say("  Two names are needed, one for each side.")
    session.parties, session.suggested_parties = names, []


def _command_at_end(name: str) -> str:
    """Return ``?back`` typed at the end of a name put on the line and edited (``Jap?back``), alone:
    no name is written with a command in it; anything else unchanged."""
    cut = name.rfind("?")
    tail = name[cut:]
    if cut > 0 and len(tail) > 1 and "?back".startswith(tail.lower()):
        return tail
    return name
