"""A consultation's state: the parties and the answers so far, with what to offer as defaults.

What a consultation writes is elsewhere: resume files in ``advisor.ask.resume``,
case files in ``advisor.ask.casefile``. Both are written atomically (a temporary
file in the same directory, flushed to disk, then renamed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from advisor.facts import Answer, FactValue

# The first question (the parties' names) is asked before pydantic, YAML and the fact
# model are loaded: this module imports them where they are used, not at the top.

ABOUT_KEYS = ("id", "title", "year", "expected", "notes", "sources")  # what a case says besides facts


@dataclass
class Session:
    """The parties and the answers so far, with what to offer as defaults."""

    parties: list[str] = field(default_factory=list)
    answers: dict[str, FactValue] = field(default_factory=dict)  # answered with a value
    unknown: list[str] = field(default_factory=list)  # answered "unknown"
    contested: dict[str, tuple[FactValue, ...]] = field(default_factory=dict)  # several plausible values
    history: list[str] = field(default_factory=list)  # facts in the order answered, for "back"
    suggested: dict[str, Answer] = field(default_factory=dict)  # pre-filled or taken-back answers
    taken_back_unknown: list[str] = field(default_factory=list)  # taken back, offered as unknown again
    suggested_parties: list[str] = field(default_factory=list)
    save: Path | None = None  # where to write the case file at the end
    resume_path: Path | None = None  # the resume file this session continues
    rules: str | None = None  # the digest of the knowledge base the answers were given under
    about: dict[str, Any] = field(default_factory=dict)  # the pre-filling case's id, title, year, ...

    def answered(self, fact: str) -> bool:
        """Return whether a fact has been answered: with a value, several values, or as unknown."""
        return fact in self.answers or fact in self.unknown or fact in self.contested

    def answer(self, fact: str, value: Answer | None) -> None:
        """Record an answer (None for unknown; a tuple for several plausible values), making it the
        latest one in the history."""
        self.answers.pop(fact, None)
        self.contested.pop(fact, None)
        if fact in self.unknown:
            self.unknown.remove(fact)
        if value is None:
            self.unknown.append(fact)
        elif isinstance(value, tuple):
            values = contested_answer(fact, value)
            if len(values) > 1:
                self.contested[fact] = values
            else:
                self.answers[fact] = values[0]
        else:
            from advisor.facts import check_known

            self.answers[fact] = check_known({fact: value})[fact]
        self.suggested.pop(fact, None)
        if fact in self.taken_back_unknown:
            self.taken_back_unknown.remove(fact)
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
        elif fact in self.contested:
            self.suggested[fact] = self.contested.pop(fact)
        elif fact in self.unknown:
            self.unknown.remove(fact)
            self.taken_back_unknown.append(fact)
        return fact

    def take_back_parties(self) -> None:
        """Withdraw the parties' names, keeping them as the defaults."""
        self.suggested_parties, self.parties = self.parties or self.suggested_parties, []

    def offers_unknown(self, fact: str) -> bool:
        """Return whether a question is to be offered as unknown: so answered, or so taken back."""
        return fact in self.unknown or fact in self.taken_back_unknown

    def default(self, fact: str) -> Answer | None:
        """Return the value (or values) to offer first for a fact: its answer, else its pre-filled one."""
        return self.answers.get(fact, self.contested.get(fact, self.suggested.get(fact)))

    def facts(self) -> dict[str, FactValue]:
        """Return the facts known for sure: the answers, and pre-filled values of facts not asked.

        Facts answered with several values are in ``contested``; unknown ones are left out.
        """
        from advisor.facts import ASKED_FACTS

        given = {**self.suggested, **self.answers}
        return {
            name: value
            for name in ASKED_FACTS
            if (value := given.get(name)) is not None
            and not isinstance(value, tuple)
            and not self.answered_otherwise(name)
        }

    def answered_otherwise(self, fact: str) -> bool:
        """Return whether a fact was answered as unknown or with several values."""
        return fact in self.unknown or fact in self.contested

    def engine_facts(self) -> dict[str, FactValue]:
        """Return the facts with the derived ones the advisor reads off the parties (``grouping``),
        and the optional ones not given at their default (as a case file that leaves them out)."""
        from advisor.facts import OPTIONAL_DEFAULTS, grouping_of

        facts: dict[str, FactValue] = self.facts()
        if self.parties:
            facts["grouping"] = grouping_of(self.parties)
        facts.update({k: v for k, v in OPTIONAL_DEFAULTS.items() if k in self.defaulted()})
        return facts

    def defaulted(self) -> tuple[str, ...]:
        """Return the optional facts neither answered (not even unknown) nor pre-filled: at their default."""
        from advisor.facts import OPTIONAL_FACTS

        facts = self.facts()
        return tuple(f for f in OPTIONAL_FACTS if f not in facts and not self.answered_otherwise(f))

    def missing(self) -> list[str]:
        """Return the required facts the engine goes without: unknown ones and skipped ones with no value.

        An optional fact is never missing: not given, its default holds (unknown, it is not given).
        """
        from advisor.facts import REQUIRED_FACTS

        facts = self.facts()
        return [name for name in REQUIRED_FACTS if name not in facts and name not in self.contested]

    def not_asked(self) -> list[str]:
        """Return the required facts neither answered (not even as unknown) nor pre-filled."""
        from advisor.facts import REQUIRED_FACTS

        facts = self.facts()
        return [name for name in REQUIRED_FACTS if name not in facts and not self.answered_otherwise(name)]

    def is_empty(self) -> bool:
        """Return whether nothing at all has been typed or pre-filled."""
        typed = self.parties or self.answers or self.unknown or self.contested
        return not (typed or self.suggested or self.suggested_parties or self.taken_back_unknown)

    def is_prefilled(self) -> bool:
        """Return whether every fact and the parties are pre-filled and nothing is answered yet."""
        typed = self.answers or self.unknown or self.contested or self.parties
        if typed or not (self.suggested_parties and self.suggested):
            return False  # decided without loading the fact model: this runs before the first question
        from advisor.facts import REQUIRED_FACTS

        return set(REQUIRED_FACTS) <= {*self.suggested, *self.taken_back_unknown}

    def accept_all(self) -> None:
        """Take every pre-filled answer and the pre-filled parties as given, in question order."""
        from advisor.ask.questions import ORDER

        self.parties, self.suggested_parties = list(self.suggested_parties), []
        for fact in ORDER:
            if (fact in self.suggested or fact in self.taken_back_unknown) and not self.answered(fact):
                self.answer(fact, self.suggested.get(fact))  # None: offered as unknown

    @classmethod
    def from_case(
        cls,
        facts: dict[str, FactValue],
        parties: list[str],
        about: dict[str, Any] | None = None,
        contested: dict[str, tuple[FactValue, ...]] | None = None,
        unknown: tuple[str, ...] = (),
    ) -> Session:
        """Start a session whose defaults are a case's facts and parties, keeping what else it says.

        A contested fact of the case is offered with its readings, as several values; one given as
        ``unknown`` (``unknown``) is offered as unknown.
        """
        from advisor.facts import ASKED_FACTS, check_known

        kept = {k: v for k, v in (about or {}).items() if k in ABOUT_KEYS and v not in (None, [], "")}
        asked: dict[str, Answer] = {k: v for k, v in check_known(facts).items() if k in ASKED_FACTS}
        asked.update({k: contested_answer(k, v) for k, v in (contested or {}).items() if k not in unknown})
        for name in unknown:
            asked.pop(name, None)
        # a case file's names as it gives them: its own check refused blank ones
        return cls(
            suggested=asked, taken_back_unknown=list(unknown), suggested_parties=list(parties), about=kept
        )


def contested_answer(fact: str, values: tuple[Any, ...] | list[Any]) -> tuple[FactValue, ...]:
    """Return several plausible values of a fact checked, without repeats, in the scale's order.

    Raise ValueError naming the fact and the value off its scale; one distinct value comes back alone.
    """
    from advisor.facts import check_known, scales

    if not values:
        raise ValueError(f"{fact}: no value given; list two or more of {scales()[fact].allowed()}")
    checked = [check_known({fact: value})[fact] for value in values]
    return tuple(v for v in scales()[fact].values if any(c == v and type(c) is type(v) for c in checked))


def clean_name(text: str) -> str:
    """Return a typed party's name without the blanks around it; nothing else is taken out (a control
    character is kept, and shown escaped: ``advisor.output.printable``)."""
    return text.strip()


class Inline(list[Any]):
    """A list ``yaml_text`` writes on one line, as a case file's contested fact: ``[high, existential]``."""


def yaml_text(data: dict[str, Any]) -> str:
    """Return the YAML of a file a consultation writes (a resume file or a case file)."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(Inline, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, True))
    return yaml.dump(
        data, Dumper=Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
