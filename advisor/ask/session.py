"""A consultation's state: the parties and the answers so far, with what to offer as defaults.

What a consultation writes is elsewhere: resume files in ``advisor.ask.resume``,
case files in ``advisor.ask.casefile``. Both are written atomically (a temporary
file in the same directory, flushed to disk, then renamed).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from advisor.facts import FactValue

# The first question (the parties' names) is asked before pydantic, YAML and the fact
# model are loaded: this module imports them where they are used, not at the top.
from advisor.output import write_atomically as write_atomically  # light; kept importable from here

ABOUT_KEYS = ("id", "title", "year", "expected", "notes", "sources")  # what a case says besides facts


@dataclass
class Session:
    """The parties and the answers so far, with what to offer as defaults."""

    parties: list[str] = field(default_factory=list)
    answers: dict[str, FactValue] = field(default_factory=dict)  # answered with a value
    unknown: list[str] = field(default_factory=list)  # answered "unknown"
    history: list[str] = field(default_factory=list)  # facts in the order answered, for "back"
    suggested: dict[str, FactValue] = field(default_factory=dict)  # pre-filled or taken-back answers
    suggested_parties: list[str] = field(default_factory=list)
    save: Path | None = None  # where to write the case file at the end
    resume_path: Path | None = None  # the resume file this session continues
    rules: str | None = None  # the digest of the knowledge base the answers were given under
    about: dict[str, Any] = field(default_factory=dict)  # the pre-filling case's id, title, year, ...

    def answered(self, fact: str) -> bool:
        """Return whether a fact has been answered, with a value or as unknown."""
        return fact in self.answers or fact in self.unknown

    def answer(self, fact: str, value: FactValue | None) -> None:
        """Record an answer (None for unknown), making it the latest one in the history."""
        self.answers.pop(fact, None)
        if fact in self.unknown:
            self.unknown.remove(fact)
        if value is None:
            self.unknown.append(fact)
        else:
            from advisor.facts import check_known

            self.answers[fact] = check_known({fact: value})[fact]
        self.suggested.pop(fact, None)
        if fact in self.history:
            self.history.remove(fact)
        self.history.append(fact)

    def take_back(self) -> str | None:
        """Withdraw the latest answer, keeping it as the default; return its fact, or None if none."""
        if not self.history:
            return None
        fact = self.history.pop()
        if fact in self.answers:
            self.suggested[fact] = self.answers.pop(fact)
        elif fact in self.unknown:
            self.unknown.remove(fact)
        return fact

    def take_back_parties(self) -> None:
        """Withdraw the parties' names, keeping them as the defaults."""
        self.suggested_parties, self.parties = self.parties or self.suggested_parties, []

    def default(self, fact: str) -> FactValue | None:
        """Return the value to offer first for a fact: its answer, else its pre-filled value."""
        return self.answers.get(fact, self.suggested.get(fact))

    def facts(self) -> dict[str, FactValue]:
        """Return what the engine is given: the answers, and pre-filled values of facts not asked."""
        from advisor.facts import FACT_NAMES

        given = {**self.suggested, **self.answers}
        return {name: given[name] for name in FACT_NAMES if name in given and name not in self.unknown}

    def engine_facts(self) -> dict[str, FactValue]:
        """Return the facts with the derived ones the advisor reads off the parties (``grouping``)."""
        from advisor.facts import grouping_of

        facts: dict[str, FactValue] = self.facts()
        if self.parties:
            facts["grouping"] = grouping_of(self.parties)
        return facts

    def missing(self) -> list[str]:
        """Return the facts the engine goes without: unknown ones and skipped ones with no value."""
        from advisor.facts import FACT_NAMES

        facts = self.facts()
        return [name for name in FACT_NAMES if name not in facts]

    def not_asked(self) -> list[str]:
        """Return the facts neither answered (not even as unknown) nor pre-filled."""
        from advisor.facts import FACT_NAMES

        facts = self.facts()
        return [name for name in FACT_NAMES if name not in facts and name not in self.unknown]

    def is_empty(self) -> bool:
        """Return whether nothing at all has been typed or pre-filled."""
        return not (self.parties or self.answers or self.unknown or self.suggested or self.suggested_parties)

    def is_prefilled(self) -> bool:
        """Return whether every fact and the parties are pre-filled and nothing is answered yet."""
        if self.answers or self.unknown or self.parties or not (self.suggested_parties and self.suggested):
            return False  # decided without loading the fact model: this runs before the first question
        from advisor.facts import FACT_NAMES

        return set(self.suggested) == set(FACT_NAMES)

    def accept_all(self) -> None:
        """Take every pre-filled answer and the pre-filled parties as given, in question order."""
        from advisor.ask.questions import ORDER

        self.parties, self.suggested_parties = list(self.suggested_parties), []
        for fact in ORDER:
            if fact in self.suggested and not self.answered(fact):
                self.answer(fact, self.suggested[fact])

    @classmethod
    def from_case(
        cls, facts: dict[str, FactValue], parties: list[str], about: dict[str, Any] | None = None
    ) -> Session:
        """Start a session whose defaults are a case's facts and parties, keeping what else it says."""
        from advisor.facts import FACT_NAMES, check_known

        kept = {k: v for k, v in (about or {}).items() if k in ABOUT_KEYS and v not in (None, [], "")}
        asked = {k: v for k, v in check_known(facts).items() if k in FACT_NAMES}  # derived ones aside
        return cls(suggested=asked, suggested_parties=[clean_name(p) for p in parties], about=kept)


def clean_name(text: str) -> str:
    """Return a party's name without control characters or surrounding blanks."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc").strip()


def yaml_text(data: dict[str, Any]) -> str:
    """Return the YAML of a file a consultation writes (a resume file or a case file)."""
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
