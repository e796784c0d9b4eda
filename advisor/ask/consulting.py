"""What the result menu and the saving steps need of a consultation, as a Protocol.

``advisor.ask.flow.Consultation`` is one; the menu (``advisor.ask.menu``) and the
saving steps (``advisor.ask.saving``) depend on this description only, so that
the consultation may import them and they never import it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from advisor.ask.prompts import Prompter
    from advisor.ask.questions import Step
    from advisor.ask.session import Session
    from advisor.engine import Engine
    from advisor.facts import Answer
    from advisor.rulebase import KnowledgeBase


class Consulting(Protocol):
    """A consultation as its menu and its saving steps see it."""

    session: Session
    engine: Engine
    kb: KnowledgeBase
    prompter: Prompter
    console: Console

    def ask(
        self, fact: str, *, unknown: bool = True, back: str | None = "the previous question"
    ) -> Answer | Step:
        """Ask one question until it gets an answer."""
        ...

    def record(self, fact: str, reply: Answer | Step) -> None:
        """Keep an answer (a value, or unknown) and echo it."""
        ...

    def edit(self) -> None:
        """Let the user pick any answer and give it again."""
        ...

    def interview(self) -> None:
        """Ask each question that can still change the recommendation."""
        ...

    def review(self) -> None:
        """Show all the answers until the user is content."""
        ...

    def show(self, renderable: RenderableType) -> None:
        """Print a screen, a page at a time if need be."""
        ...

    def say(self, message: str, style: str = "") -> None:
        """Print one message, never read as markup."""
        ...
