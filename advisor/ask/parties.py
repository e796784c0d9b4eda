"""The first question of a consultation: who the parties are.

Asked with plain line input, so that it can appear before the rest of the
advisor has loaded.
"""

from __future__ import annotations

from collections.abc import Callable

from advisor.ask.session import Session, clean_name

LABELS = ("First party's name", "Second party's name")


def ask_parties(session: Session, read: Callable[[str, str], str], say: Callable[[str], None]) -> None:
    """Ask the parties' names, one a line: two for a dyad, more for a group until an empty line."""
    defaults = list(session.suggested_parties)
    names: list[str] = []
    while True:
        count = len(names)
        message = LABELS[count] if count < len(LABELS) else f"Party {count + 1} (Enter to go on)"
        name = clean_name(read(message, defaults[count] if count < len(defaults) else ""))
        if name:
            names.append(name)
            # kept as it is typed: leaving at the next name must not lose this one
            session.suggested_parties = names + defaults[len(names) :]
        elif count >= len(LABELS):
            break
        else:
            say("  Two names are needed, one for each side.")
    session.parties, session.suggested_parties = names, []
