"""What a consultation's recommendation rests on besides its answers: the gaps, worked out.

A gap is a fact the engine reasoned without: answered "unknown", or skipped
because it could not change the recommendation. For each unknown fact the engine
is re-run with every value it could take (the sensitivity analysis, over the readings
of the other answers read several ways); the
relevance analysis says which conclusions and cautions a gap could still change.
A fact answered with several values is no gap: what differs only between its
readings is said by the readings' shares, not here.
``advisor.render.consultation.gaps_report`` shows what ``find_gaps`` found.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.ask.questions import ORDER
from advisor.ask.session import Session
from advisor.engine import Engine, Recommendation, Relevance, Tri, analyse
from advisor.engine.as_given import AsGiven
from advisor.explain import sensitivity_over_readings
from advisor.facts import OPTIONAL_DEFAULTS, FactValue, scales, show
from advisor.rulebase import KnowledgeBase


@dataclass(frozen=True)
class UnknownFact:
    """A fact answered "unknown": what each of its values would make the recommendation."""

    fact: str
    gives: tuple[tuple[str, tuple[str, ...]], ...]  # (outcome, the values that give it), first value first
    tested_by: tuple[str, ...]  # the rules that test the fact
    signals: tuple[str, ...]  # the signals those rules declare, sorted


@dataclass(frozen=True)
class Fragile:
    """A conclusion that fired because signals were absent which a missing answer could supply."""

    rule: str
    conclusion: str  # the rule's conclusion, briefly
    absent: tuple[str, ...]


@dataclass(frozen=True)
class OpenCaution:
    """A caution that may apply, or may not, depending on missing answers."""

    rule: str
    title: str
    behind: tuple[str, ...]  # the facts it rests on, in question order
    fired: bool  # whether it accompanies the recommendation now


@dataclass(frozen=True)
class Gaps:
    """What rests on missing answers."""

    outcome: str  # the recommendation
    skipped: tuple[str, ...]  # not asked: they could not change the recommendation
    unknown: tuple[UnknownFact, ...]  # answered "unknown", in question order
    others: tuple[str, ...] | None  # the outcomes other answers could give; None when settled
    fragile: tuple[Fragile, ...]
    cautions: tuple[OpenCaution, ...]
    # what the other outcomes rest on: the answers given with several values, and those answered
    # "unknown", that split the readings (``Recommendation.splitting``), and whether unasked questions do
    contested: tuple[str, ...] = ()
    unknown_splitting: tuple[str, ...] = ()
    unasked: bool = False


def find_gaps(session: Session, rec: Recommendation, engine: Engine) -> Gaps:
    """Return what rests on missing answers: skipped facts, unknown facts and their what-ifs, cautions."""
    facts = {k: v for k, v in rec.facts.items() if k not in rec.contested}  # a reading's, not given
    held = {k: v for k, v in OPTIONAL_DEFAULTS.items() if k not in session.unknown and k not in rec.contested}
    facts = {**held, **facts}  # an optional fact not given is no gap: its default holds
    kb = engine.kb
    # an unknown answer is read every way for the advice; here it is a gap, open to any value
    rel = analyse(facts, kb, {k: v for k, v in rec.contested.items() if k not in session.unknown})
    movable = rel.settled is None and bool(rel.decisive)  # can a missing answer change the outcome?
    others = _others(rel, rec, facts, session, kb) if movable else None
    moving = tuple(rec.contested) if rec.splitting is None else rec.splitting
    return Gaps(
        outcome=rec.outcome,
        skipped=tuple(f for f in ORDER if f not in facts and not session.answered_otherwise(f)),
        unknown=_unknown_facts(session, rec, engine) if session.unknown else (),
        others=others,
        fragile=_fragile(rec, rel, kb),
        cautions=_open_cautions(rec, rel, kb, movable),
        contested=tuple(f for f in ORDER if f in moving and f not in session.unknown),
        unknown_splitting=tuple(f for f in ORDER if f in moving and f in session.unknown),
        unasked=any(o not in rec.readings for o in others or ()),
    )


def _others(
    rel: Relevance, rec: Recommendation, facts: dict[str, FactValue], session: Session, kb: KnowledgeBase
) -> tuple[str, ...] | None:
    """Return the other outcomes that some answers to the missing questions give: the relevance analysis
    proposes them (three-valued, it may propose too many), each reading of the missing and contested
    answers judged exactly (``AsGiven.outcomes``) keeps those one gives; None when none does."""
    missing = {
        f: scales()[f].values
        for f in ORDER
        if (f not in facts and f not in rec.contested) or f in session.unknown
    }
    read = {**{k: v for k, v in rec.contested.items() if k not in session.unknown}, **missing}
    given, _ = AsGiven(kb, facts, read).outcomes()
    found = tuple(o for o in rel.outcomes if o != rec.outcome and o in given)
    return found or None


def _unknown_facts(session: Session, rec: Recommendation, engine: Engine) -> tuple[UnknownFact, ...]:
    """Return, for each unknown fact, what each of its values would make the recommendation."""
    # each value judged as the advice is: over the readings of the other contested and unknown answers
    flips = sensitivity_over_readings(rec, engine, facts=session.unknown).by_fact()
    found = []
    for fact in (f for f in ORDER if f in session.unknown):
        gives = {f.change.after: f.outcome for f in flips.get(fact, ())}
        by_outcome: dict[str, list[str]] = {}
        for value in scales()[fact].values:
            by_outcome.setdefault(gives.get(value, rec.outcome), []).append(show(fact, value))
        users = engine.kb.users_of_fact(fact)
        found.append(
            UnknownFact(
                fact,
                tuple((o, tuple(vs)) for o, vs in by_outcome.items()),
                tuple(r.id for r in users),
                tuple(sorted({r.declares for r in users if r.declares})),
            )
        )
    return tuple(found)


def _fragile(rec: Recommendation, rel: Relevance, kb: KnowledgeBase) -> tuple[Fragile, ...]:
    """Return the firings that rest on a signal being absent which a missing answer could supply."""
    found: dict[Fragile, None] = {}
    for firing in rec.chain():
        rule = kb.rule(firing.rule)
        open_ = tuple(s for s in rule.without if any(rel.behind(d, kb) for d in kb.declarers(s)))
        if open_:
            found[Fragile(rule.id, rule.conclusion(brief=True), open_)] = None
    return tuple(found)


def _open_cautions(
    rec: Recommendation, rel: Relevance, kb: KnowledgeBase, movable: bool
) -> tuple[OpenCaution, ...]:
    """Return the cautions that may apply, or may not, depending on missing answers (not on which
    reading of a contested answer holds): on facts behind them, or on a recommendation they could move."""
    fired = {c.rule for c in rec.cautions}
    return tuple(
        OpenCaution(
            rule.id, rule.title, tuple(f for f in ORDER if f in rel.behind(rule, kb)), rule.id in fired
        )
        for rule in kb.of_kind("caution")
        if rel.rules[rule.id] == Tri.MAYBE and (rel.behind(rule, kb) or (movable and rule.recommended))
    )
