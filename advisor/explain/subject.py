"""The subjects of every explanation (a Recommendation, a Case, or facts) and changes of facts.

Every explanation takes a subject, reads its known facts and its recommendation,
and speaks of facts set to other values (``FactChange``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from advisor.cases import Case
from advisor.engine import Engine, Recommendation, advise, get_engine, outcome_fields, over_facts
from advisor.facts import ALL_FACTS, Facts, FactValue, as_known, check_known, fact_label, scales, show

Subject = Recommendation | Case | Facts | Mapping[str, FactValue]
"""What every explanation takes: a finished Recommendation, a Case, or facts (any subset)."""


def known_facts(subject: Subject) -> dict[str, FactValue]:
    """Return the known facts of a subject as a validated mapping, in the documented fact order."""
    if isinstance(subject, Recommendation):
        facts: Mapping[str, FactValue] = subject.facts
    elif isinstance(subject, Case):
        facts = subject.facts.model_dump()
    else:
        facts = as_known(subject)
    return {name: facts[name] for name in ALL_FACTS if name in facts}


def engine_for(subject: Subject, engine: Engine | None) -> Engine:
    """Return the engine to use: the one given, or the one of the subject's knowledge base."""
    if engine is not None:
        return engine
    return get_engine(subject.kb.directory if isinstance(subject, Recommendation) else None)


def recommendation_of(subject: Subject, engine: Engine) -> Recommendation:
    """Return the subject's Recommendation, running the engine unless it already is one."""
    if isinstance(subject, Recommendation):
        return subject
    return advise(subject if isinstance(subject, Case) else known_facts(subject), engine=engine)


def resolve(subject: Subject, engine: Engine | None) -> tuple[Engine, Recommendation]:
    """Return the engine to use (``engine_for``) and the subject's Recommendation (``recommendation_of``)."""
    engine = engine_for(subject, engine)
    return engine, recommendation_of(subject, engine)


def steps(fact: str, before: FactValue | None, after: FactValue | None) -> int:
    """Count the steps of a change: rungs apart on an ordered scale, else 1 (also from or to unknown)."""
    scale = scales()[fact]
    if before is None or after is None or not scale.ordered:
        return 0 if before == after else 1
    return abs(scale.rank(after) - scale.rank(before))


@dataclass(frozen=True)
class FactChange:
    """One fact set to another value (``None`` stands for unknown).

    A contested fact's change carries the plausible values given (``given``): it changes from
    them, and its ``before`` is only the value of the reading followed, never said as the case's.
    """

    fact: str
    before: FactValue | None
    after: FactValue | None
    given: tuple[FactValue, ...] = ()
    several: tuple[FactValue, ...] = ()  # after the change the fact is read as these (unknown: all)

    @property
    def steps(self) -> int:
        """Return how far the change moves the fact (see ``steps``); from a contested fact's values,
        the fewest steps from any of them; to several values (``several``), one: a change of kind."""
        if self.several:
            return 1
        if self.given:
            return min(steps(self.fact, value, self.after) for value in self.given)
        return steps(self.fact, self.before, self.after)

    def said_before(self) -> str:
        """Say the fact's answer before the change: a contested fact as its values, 'low or high'."""
        if self.given:
            return " or ".join(show(self.fact, value) for value in self.given)
        return show(self.fact, self.before)

    def phrase(self) -> str:
        """Say the change as an 'if' clause: ``ratification cost were low rather than high``."""
        name, after = fact_label(self.fact), self.said_after()
        if self.before is None and not self.given:
            return f"{name} were {after} (now unknown)"
        if self.several and after != "unknown":
            return f"{name} were read as {after} rather than {self.said_before()}"
        return f"{name} were {after} rather than {self.said_before()}"

    def said_after(self) -> str:
        """Say the fact's answer after the change: several values as ``said`` says them."""
        return said(self.fact, self.several or self.after)

    def to_dict(self) -> dict[str, Any]:
        """Return the change as JSON data (a contested fact's ``from``, and ``to`` when the change makes
        it contested or unknown: the list of its values)."""
        before = list(self.given) if self.given else self.before
        after = list(self.several) if self.several else self.after
        return {"fact": self.fact, "from": before, "to": after, "steps": self.steps}


Setting = FactValue | tuple[FactValue, ...]  # one value, or several: the fact read each way


def said(fact: str, value: Setting | None) -> str:
    """Say a fact's answer: one value as shown; several as ``high or existential``, its whole scale as
    ``unknown``."""
    if not isinstance(value, tuple):
        return show(fact, value)
    if len(value) == len(scales()[fact].values):
        return "unknown"
    return " or ".join(show(fact, one) for one in value)


def parse_setting(text: str) -> tuple[str, Setting]:
    """Read ``fact=value`` as typed on a command line; raise ValueError naming the fact and its values.

    As in a case file, the answer may be ``unknown`` (read over every value of the scale) or two or
    more distinct values, here separated by commas (``threat_level=high,existential``): a what-if
    then reasons over those readings.
    """
    name, sep, raw = text.partition("=")
    name, raw = name.strip(), raw.strip()
    table = scales()
    if not sep or name not in table:
        from difflib import get_close_matches

        close = get_close_matches(name.lower(), list(table), n=1, cutoff=0.75) if name not in table else []
        guess = f"did you mean {close[0]}? " if close else ""
        raise ValueError(f"--set {text}: {guess}use fact=value with a fact among {', '.join(table)}")
    scale = table[name]
    if raw.lower() == "unknown":
        return name, tuple(scale.values)
    typed = [part.strip().lower() for part in raw.split(",")]
    values = []
    for part in typed:
        value = next((v for v in scale.values if scale.show(v) == part), None)
        if value is None:
            raise ValueError(
                f"--set {text}: {name} is one of {scale.allowed()}; or several, separated by commas; "
                "or unknown"
            )
        values.append(value)
    if len(values) == 1:
        return name, values[0]
    if len(set(values)) < len(values):
        raise ValueError(f"--set {text}: give each value of {name} once")
    return name, tuple(values)


def apply(
    facts: Mapping[str, FactValue],
    changes: Mapping[str, Setting | None],
    contested: Mapping[str, tuple[FactValue, ...]] | None = None,
) -> list[FactChange]:
    """Return the changes that really change facts (value differs; a contested fact set to anything
    but its own values changes from them; a fact set to several values is read each way after);
    raise ValueError if one is invalid."""
    for name, value in changes.items():
        values = value if isinstance(value, tuple) else (value,)
        if not values or len(set(values)) != len(values):
            raise ValueError(f"{name}: give distinct values, one or more")
        for one in values:
            if one is not None:
                check_known({name: one})
    missing = [k for k, v in changes.items() if v is None and k not in scales()]
    if missing:
        raise ValueError(f"{missing[0]}: unknown fact; known facts are {', '.join(scales())}")
    given = contested or {}
    made = []
    for name in ALL_FACTS:
        if name not in changes:
            continue
        value = changes[name]
        several = value if isinstance(value, tuple) and len(value) > 1 else ()
        after = value[0] if isinstance(value, tuple) else value
        if several and set(several) == set(given.get(name, ())):
            continue  # read these ways already
        if several or name in given or facts.get(name) != after:
            was, read = facts.get(name), given.get(name, ())
            made.append(FactChange(name, was, None if several else after, read, several))
    return made


def changed(facts: Mapping[str, FactValue], changes: Iterable[FactChange]) -> dict[str, FactValue]:
    """Return the facts with the changes made (a change to ``None`` forgets the fact; a change to
    several values is made by ``as_given_after``, which reads them each way)."""
    result = dict(facts)
    for change in changes:
        if change.after is None:
            result.pop(change.fact, None)
        else:
            result[change.fact] = change.after
    return {name: result[name] for name in ALL_FACTS if name in result}


def rerun(rec: Recommendation, changes: Iterable[FactChange], engine: Engine) -> Recommendation:
    """Run the engine on a recommendation's facts with the changes made, keeping its case id."""
    after = advise(changed(rec.facts, changes), engine=engine)
    return after if rec.case is None else replace(after, case=rec.case)


def as_given_after(rec: Recommendation, changes: tuple[FactChange, ...], engine: Engine) -> Recommendation:
    """Reason anew with the changes made, as ``--set`` does: over the readings of the contested facts the
    changes leave (a contested fact set to a value is read that way only); without any, ``rerun``.

    What ``advise`` says of the case file edited so: the contested facts are read in the facts' order,
    and the optional facts left out of the case and not changed are still said to be (``defaulted``).
    """
    made = {c.fact for c in changes}
    defaulted = tuple(name for name in rec.defaulted if name not in made)
    left = {k: v for k, v in rec.contested.items() if k not in made}
    left |= {c.fact: c.several for c in changes if c.several}  # set to several values: read each way
    if not left:
        return replace(rerun(rec, changes, engine), defaulted=defaulted)
    single = [c for c in changes if not c.several]
    base = changed({k: v for k, v in rec.facts.items() if k not in left}, single)
    read = {name: left[name] for name in ALL_FACTS if name in left}
    return replace(over_facts(base, read, engine, rec.case), defaulted=defaulted)


def outcome_summary(rec: Recommendation) -> dict[str, Any]:
    """Return the short JSON form of a recommendation (outcome, rule, cautions; with contested facts,
    the readings too)."""
    return {
        **outcome_fields(rec.outcome, rec.deciding_rule),
        "confidence": rec.confidence,
        "runner_up": rec.runner_up,
        "hinges_on": list(rec.hinges_on),
        "cautions": [c.rule for c in rec.cautions],
        **(rec.readings_fields() if rec.contested else {}),
    }
