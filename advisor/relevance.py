"""Which unanswered facts can still change the recommendation, read from the rule base.

Every rule is evaluated in three values over a partial set of facts (Kleene's
logic): a condition on an unanswered fact is *maybe*; a signal is certainly
present (yes), possibly present (maybe) or impossible (no); ``without`` is its
negation. Rules are evaluated stratum by stratum, in the engine's own order, so
a negation only ever looks at a finished signal. The proposals then settle what
they can: the highest-priority proposal certain to fire (the *leader*) wins,
unless a proposal with another outcome and a higher priority can still fire (a
*contender*). A fact still matters only if some undecided rule tests it and lies,
through undecided signals (``without`` included), on the way to a live proposal.

A *maybe* stands for "true or false, we cannot tell" for each condition on its
own, so every conclusion also holds when an unanswered fact stays missing, which
is how the engine reasons without it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from typing import Literal

from advisor.facts import FactValue, check_known
from advisor.outcomes import label
from advisor.rulebase import KnowledgeBase, Rule, load_knowledge_base, strata

FactStatus = Literal["known", "decisive", "caution", "idle"]


class Tri(IntEnum):
    """A three-valued truth: NO < MAYBE < YES."""

    NO = 0
    MAYBE = 1
    YES = 2


@dataclass(frozen=True)
class Relevance:
    """What a partial set of facts settles, and which unanswered facts can still matter."""

    known: Mapping[str, FactValue]
    rules: Mapping[str, Tri]  # rule id -> can it fire
    signals: Mapping[str, Tri]  # signal -> can it be present
    leader: Rule  # the highest-priority proposal certain to fire
    contenders: tuple[Rule, ...]  # proposals that could still fire and outrank it with another outcome
    live: tuple[Rule, ...]  # the proposals whose firing can still decide the outcome
    decisive: Mapping[str, tuple[str, ...]]  # fact -> the live proposals it bears on
    cautionary: Mapping[str, tuple[str, ...]]  # fact (not decisive) -> the cautions it bears on
    outcomes: tuple[str, ...]  # the outcomes still possible, the leader's first

    @property
    def settled(self) -> str | None:
        """Return the outcome if no unanswered fact can change it, else None."""
        return None if self.contenders else self.leader.proposes

    def status(self, fact: str) -> FactStatus:
        """Say whether a fact is known, can change the outcome, can only change cautions, or neither."""
        if fact in self.known:
            return "known"
        if fact in self.decisive:
            return "decisive"
        return "caution" if fact in self.cautionary else "idle"

    def behind(self, rule: Rule, kb: KnowledgeBase) -> set[str]:
        """Return the unanswered facts that can still decide whether an undecided rule fires."""
        if self.rules.get(rule.id) != Tri.MAYBE:
            return set()
        return _reach(rule, kb, self.rules, self.signals, self.known)

    def reason(self, fact: str, kb: KnowledgeBase, *, detail: bool = False) -> str:
        """Say in one line why a fact still matters, or why it no longer can (naming the rules, in detail)."""
        status = self.status(fact)
        if status == "known":
            return "answered"
        if status == "decisive":
            bears = ", ".join(f"{r} ({label(kb.rule(r).proposes or '')})" for r in self.decisive[fact])
            return f"it can still change the recommendation: it bears on {bears}"
        text = "no rule that could still change the outcome tests it"
        if detail:
            text += _why_idle(fact, kb, self.rules)
        if status == "caution":
            text += f"; it could only add a caution ({', '.join(self.cautionary[fact])})"
        return text


def _why_idle(fact: str, kb: KnowledgeBase, rules: Mapping[str, Tri]) -> str:
    """Say which rules testing a fact can no longer fire, and which can no longer change the outcome."""
    users = [r for r in kb.users_of_fact(fact) if r.kind != "caution"]
    dead = [r.id for r in users if rules[r.id] == Tri.NO]
    idle = [r.id for r in users if rules[r.id] != Tri.NO]
    detail = [f"{', '.join(dead)} can no longer fire"] * bool(dead)
    detail += [f"{', '.join(idle)} can no longer change the outcome"] * bool(idle)
    return f" ({'; '.join(detail)})" if detail else ""


def analyse(known: Mapping[str, FactValue], kb: KnowledgeBase | None = None) -> Relevance:
    """Analyse a partial set of facts: what is settled, and which unanswered facts still matter."""
    kb = kb or load_knowledge_base()
    facts = check_known(known)
    rules, signals = evaluate(kb, facts)
    proposals = [r for r in kb.rules if r.kind == "propose"]
    leader = max((p for p in proposals if rules[p.id] == Tri.YES), key=_priority)
    above = sorted(
        (p for p in proposals if rules[p.id] == Tri.MAYBE and _priority(p) > _priority(leader)),
        key=_priority,
        reverse=True,
    )
    contenders = tuple(p for p in above if p.proposes != leader.proposes)
    floor = min((_priority(p) for p in contenders), default=None)
    # A same-outcome proposal below every contender cannot change who wins: the leader
    # already gives that outcome whenever no contender fires.
    live = tuple(p for p in above if floor is not None and _priority(p) >= floor)
    outcomes = tuple(dict.fromkeys([str(leader.proposes), *(str(p.proposes) for p in contenders)]))
    for caution in kb.of_kind("caution"):
        rules[caution.id] = _all([_status(caution, facts, signals), _recommended(caution, outcomes)])
    decisive = _bearing(live, kb, rules, signals, facts, exclude=set())
    cautions = [c for c in kb.of_kind("caution") if rules[c.id] == Tri.MAYBE]
    cautionary = _bearing(cautions, kb, rules, signals, facts, exclude=set(decisive))
    return Relevance(facts, rules, signals, leader, contenders, live, decisive, cautionary, outcomes)


def evaluate(
    kb: KnowledgeBase, facts: Mapping[str, FactValue], *, unanswered: Tri = Tri.MAYBE
) -> tuple[dict[str, Tri], dict[str, Tri]]:
    """Evaluate every signal and proposal rule in three values, stratum by stratum.

    ``unanswered`` is what a test on a fact not given counts as: MAYBE while the
    question may still be answered (the questionnaire), NO for a final set of
    facts, which is how the engine reads it -- then every value is YES or NO.
    """
    rules: dict[str, Tri] = {}
    signals = dict.fromkeys(kb.signals, Tri.NO)
    for members, acyclic in _plan(kb):
        for rule in members:
            rules[rule.id] = Tri.NO
        changed = True
        while changed:  # a positive cycle within a stratum climbs to the least fixed point
            changed = False
            for rule in members:
                status = _status(rule, facts, signals, unanswered)
                if status > rules[rule.id]:
                    rules[rule.id], changed = status, not acyclic
                    if rule.declares is not None and status > signals[rule.declares]:
                        signals[rule.declares] = status
    return rules, signals


def may_recommend(kb: KnowledgeBase, facts: Mapping[str, FactValue], target: str) -> bool:
    """Return False only if no run on exactly these facts can recommend ``target``."""
    rules, _ = evaluate(kb, facts, unanswered=Tri.NO)
    proposals = [r for members, _ in _plan(kb) for r in members if r.kind == "propose"]
    return any(
        rules[p.id] != Tri.NO
        and not any(
            o.proposes != target and _priority(o) > _priority(p) and rules[o.id] == Tri.YES for o in proposals
        )
        for p in proposals
        if p.proposes == target
    )


@cache
def _plan(kb: KnowledgeBase) -> tuple[tuple[tuple[Rule, ...], bool], ...]:
    """Return the signal and proposal rules by stratum, each stratum in dependency order.

    Within a stratum a rule comes after the rules declaring the signals it needs,
    so one pass suffices unless those needs form a cycle (then ``acyclic`` is False).
    """
    level = strata(kb)
    inference = [r for r in kb.rules if r.kind in ("signal", "propose")]
    plan = []
    for stratum in sorted({level[r.id] for r in inference}):
        members = [r for r in inference if level[r.id] == stratum]
        ordered: list[Rule] = []
        placed: set[str] = set()
        while len(ordered) < len(members):
            ready = [
                r
                for r in members
                if r.id not in placed
                and all(d.id in placed for s in r.signals for d in kb.declarers(s) if d in members)
            ]
            if not ready:  # a positive cycle: keep file order, iterate to a fixed point
                plan.append((tuple(members), False))
                break
            ordered += ready
            placed |= {r.id for r in ready}
        else:
            plan.append((tuple(ordered), True))
    return tuple(plan)


def _status(
    rule: Rule, facts: Mapping[str, FactValue], signals: Mapping[str, Tri], unanswered: Tri = Tri.MAYBE
) -> Tri:
    """Return whether a rule's fact and signal conditions can hold (the weakest of them)."""
    status = Tri.YES
    for condition in rule.facts:
        value = facts.get(condition.fact, _UNANSWERED)
        holds = unanswered if value is _UNANSWERED else Tri.YES if value in condition.values else Tri.NO
        if holds == Tri.NO:
            return Tri.NO
        status = min(status, holds)
    for signal in rule.signals:
        status = min(status, signals[signal])
    for signal in rule.without:
        status = min(status, Tri(Tri.YES - signals[signal]))
    return status


_UNANSWERED = object()


def _recommended(rule: Rule, outcomes: tuple[str, ...]) -> Tri:
    """Return whether a caution's test on the recommendation holds, given the outcomes still possible."""
    if not rule.recommended:
        return Tri.YES
    hits = [o in rule.recommended for o in outcomes]
    return Tri.YES if all(hits) else Tri.MAYBE if any(hits) else Tri.NO


def _bearing(
    targets: Iterable[Rule],
    kb: KnowledgeBase,
    rules: Mapping[str, Tri],
    signals: Mapping[str, Tri],
    facts: Mapping[str, FactValue],
    exclude: set[str],
) -> dict[str, tuple[str, ...]]:
    """Map each unanswered fact to the target rules it can sway through undecided rules and signals."""
    bearing: dict[str, list[str]] = {}
    for target in targets:
        for fact in _reach(target, kb, rules, signals, facts):
            if fact not in exclude:
                bearing.setdefault(fact, []).append(target.id)
    return {fact: tuple(ids) for fact, ids in bearing.items()}


def _reach(
    start: Rule,
    kb: KnowledgeBase,
    rules: Mapping[str, Tri],
    signals: Mapping[str, Tri],
    facts: Mapping[str, FactValue],
) -> set[str]:
    """Return the unanswered facts tested by the undecided rules an undecided rule depends on."""
    found: set[str] = set()
    seen: set[str] = set()
    pending = [start]
    while pending:
        rule = pending.pop()
        if rule.id in seen:
            continue
        seen.add(rule.id)
        found |= {c.fact for c in rule.facts if c.fact not in facts}
        for signal in (*rule.signals, *rule.without):
            if signals[signal] == Tri.MAYBE:
                pending += [d for d in kb.declarers(signal) if rules[d.id] == Tri.MAYBE]
    return found


def _all(parts: Iterable[Tri]) -> Tri:
    return min(parts, default=Tri.YES)


def _priority(rule: Rule) -> int:
    return rule.priority or 0
