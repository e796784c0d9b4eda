"""Starting a consultation: the first question at once, the rest loading behind it.

The first question -- the parties' names -- is asked at once with plain line
input, while the engine, the menus and the renderers load in a background
thread; by the time the names are typed, the rest is ready. Anything typed is
kept: leaving at any prompt writes a resume file (see ``advisor.ask.resume``).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from advisor.ask.lines import read_line
from advisor.ask.parties import ask_parties
from advisor.ask.resume import mention_waiting, save_for_later
from advisor.ask.session import Session

if TYPE_CHECKING:
    from advisor.engine import Engine

INTRO = (
    "Alignment Advisor: what kind of tie should these states build?\n"
    "One question at a time: type an answer's name, the start of it, or its number, then Enter.\n"
    "Commands start with ?: ?why it is asked, ?help on the scale, ?unknown, ?back.\n"
    "Ctrl-C keeps your answers so that you can resume later."
)


class Loader:
    """Loads the engine and the consultation's modules in a background thread."""

    def __init__(self, rules: Path | None):
        self.rules = rules
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._load, name="advisor-ask-loader", daemon=True)

    def start(self) -> None:
        """Start loading, once."""
        if not self.thread.is_alive() and self.thread.ident is None:
            self.thread.start()

    def wait(self) -> Engine:
        """Wait until everything is loaded and return the engine; re-raise any loading error."""
        self.start()
        self.thread.join()
        if self.error is not None:
            raise self.error
        from advisor.engine import get_engine

        return get_engine(self.rules)

    def _load(self) -> None:
        try:
            import advisor.ask.flow  # noqa: F401  (questionary, the renderers, the relevance analysis)
            from advisor.engine import get_engine

            get_engine(self.rules)
        except BaseException as exc:  # handed to the main thread by wait()
            self.error = exc


def start(session: Session, *, rules: Path | None = None, console: Console | None = None) -> int:
    """Run a consultation in this terminal, from the parties' names on; return the exit status."""
    console = console or Console(highlight=False)
    loader = Loader(rules)
    console.print(Text(INTRO, style="dim"))
    if session.is_empty() and session.resume_path is None:
        mention_waiting(console)

    def read(message: str, default: str) -> str:
        loader.start()  # only now: until the first prompt is up, the loading would slow it down
        return read_line(message, default)

    try:
        if not (session.parties or session.is_prefilled()):  # a pre-filled case is offered whole first
            ask_parties(session, read, lambda message: console.print(Text(message)))
        engine = loader.wait()
    except (KeyboardInterrupt, EOFError):
        status = save_for_later(session, console)
        if loader.thread.ident is not None:
            loader.thread.join()  # let the loader finish its imports before the interpreter exits
        return status
    from advisor.ask.flow import Consultation
    from advisor.ask.prompts import TerminalPrompter

    return Consultation(session, engine, TerminalPrompter(console), console).run()
