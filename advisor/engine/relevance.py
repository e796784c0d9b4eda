"""Which unanswered facts can still change the recommendation, read from the rule base.

Every rule is evaluated in three values (``logic.truth``) over a partial set of facts (Kleene's
logic): a condition on an unanswered fact is *maybe*; a signal is certainly
present (yes), possibly present (maybe) or impossible (no); ``without`` is its
negation. Rules are evaluated stratum by stratum, in the engine's own order, so
a negation only ever looks at a finished signal. The evidence then settles what
it can: every outcome's belief lies between the combination of the evidence
certain to come plus every possible piece against it, and the same plus every
possible piece for it (``certainty.bounds``). An outcome is still possible if its
highest belief can reach every other outcome's lowest. A fact still matters only
if some undecided rule tests it and lies, through undecided signals (``without``
included), on the way to undecided evidence on a possible outcome.

A *maybe* stands for "true or false, we cannot tell" for each condition on its
own, so every conclusion also holds when an unanswered fact stays missing, which
is how the engine reasons without it.

A fact answered with several plausible values (contested) is neither known nor
unanswered: it takes exactly one of those values in each reading, and is never
missing. Each reading is evaluated as if known, and a rule or signal is decided
only where every reading decides it alike (else *maybe*); beyond
``READINGS_LIMIT`` readings the contested facts that do not fit are read as
unanswered, which is looser but still sound. A fact skipped for a contested
answer therefore changes no reading's outcome, hence not the recommendation.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import product
from typing import Literal

from advisor.engine.certainty import beats, bounds, ranking
from advisor.engine.logic import Tri, rule_truth, truth
from advisor.facts import DEFAULTS, DERIVED_FACTS, FactValue, check_known
from advisor.outcomes import OUTCOME_IDS
from advisor.rulebase import KnowledgeBase, Rule, load_knowledge_base

FactStatus = Literal["known", "decisive", "caution", "idle"]
READINGS_LIMIT = 64  # readings of contested facts evaluated one by one (under 1 ms each), per analysis


@dataclass(frozen=True)
class Relevance:
    """What a partial set of facts settles, and which unanswered facts can still matter."""

    known: Mapping[str, FactValue]
    rules: Mapping[str, Tri]  # rule id -> can it fire
    signals: Mapping[str, Tri]  # signal -> can it be present
    span: Mapping[str, tuple[float, float]]  # outcome -> (lowest, highest) belief still reachable
    live: tuple[Rule, ...]  # the undecided evidence rules on outcomes still possible
    decisive: Mapping[str, tuple[str, ...]]  # fact -> the live evidence rules it bears on
    cautionary: Mapping[str, tuple[str, ...]]  # fact (not decisive) -> the cautions it bears on
    outcomes: tuple[str, ...]  # the outcomes still possible, best supported so far first
    contested: Mapping[str, tuple[FactValue, ...]] = field(default_factory=dict)  # several values given

    @property
    def leader(self) -> str:
        """Return the outcome best supported by the evidence certain so far."""
        return self.outcomes[0]

    @property
    def settled(self) -> str | None:
        """Return the outcome if no unanswered fact can change it, else None."""
        return self.outcomes[0] if len(self.outcomes) == 1 else None

    def status(self, fact: str) -> FactStatus:
        """Say whether a fact is known, can change the outcome, can only change cautions, or neither."""
        if fact in self.known or fact in self.contested:
            return "known"
        if fact in self.decisive:
            return "decisive"
        return "caution" if fact in self.cautionary else "idle"

    def behind(self, rule: Rule, kb: KnowledgeBase) -> set[str]:
        """Return the unanswered facts that can still decide whether an undecided rule fires."""
        if self.rules.get(rule.id) != Tri.MAYBE:
            return set()
        return _reach(rule, kb, self.rules, self.signals, {*self.known, *self.contested})

    def reason(self, fact: str, kb: KnowledgeBase, *, detail: bool = False) -> str:
        """Say in one line why a fact still matters, or why it no longer can (naming the rules, in detail)."""
        status = self.status(fact)
        if status == "known":
            return "answered"
        if status == "decisive":
            bears = ", ".join(f"{r} ({kb.rule(r).conclusion()})" for r in self.decisive[fact])
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


def analyse(
    known: Mapping[str, FactValue],
    kb: KnowledgeBase | None = None,
    contested: Mapping[str, Iterable[FactValue]] | None = None,
) -> Relevance:
    """Analyse a partial set of facts: what is settled, and which unanswered facts still matter.

    ``contested`` maps a fact answered with several plausible values to them: it is
    read as each of them in turn (never as missing), not as unanswered.
    """
    kb = kb or load_knowledge_base()
    facts = {**DERIVED_DEFAULTS, **check_known(known)}  # a derived fact not given is its default
    several = {k: tuple(check_known({k: v})[k] for v in vs) for k, vs in (contested or {}).items()}
    several = {k: vs for k, vs in several.items() if k not in known}
    if not all(several.values()):
        raise ValueError(f"{next(k for k, vs in several.items() if not vs)}: no plausible value given")
    readings = _readings(facts, several)
    each = [truth(kb, reading) for reading in readings]
    rules, signals = _meet([r for r, _ in each]), _meet([g for _, g in each])
    span = spans(kb, rules)
    outcomes = possible(span)
    live = tuple(
        r for r in kb.of_kind("evidence") if rules[r.id] == Tri.MAYBE and set(r.outcomes) & set(outcomes)
    )
    if len(outcomes) == 1:
        live = ()
    for caution in kb.of_kind("caution"):
        fires = _agree([rule_truth(caution, f, g) for f, (_, g) in zip(readings, each, strict=True)])
        rules[caution.id] = _all([fires, _recommended(caution, outcomes)])
    answered = {*facts, *several}
    decisive = _bearing(live, kb, rules, signals, answered, exclude=set())
    cautions = [c for c in kb.of_kind("caution") if rules[c.id] == Tri.MAYBE]
    cautionary = _bearing(cautions, kb, rules, signals, answered, exclude=set(decisive))
    return Relevance(facts, rules, signals, span, live, decisive, cautionary, outcomes, several)


def spans(kb: KnowledgeBase, rules: Mapping[str, Tri]) -> dict[str, tuple[float, float]]:
    """Return each outcome's lowest and highest reachable belief, given which evidence rules can fire."""
    certain: dict[str, list[float]] = {o: [] for o in OUTCOME_IDS}
    maybe: dict[str, list[float]] = {o: [] for o in OUTCOME_IDS}
    for rule in kb.of_kind("evidence"):
        status = rules[rule.id]
        if status != Tri.NO:
            for outcome in rule.outcomes:
                (certain if status == Tri.YES else maybe)[outcome].append(float(rule.cf or 0))
    return {o: bounds(certain[o], maybe[o]) for o in OUTCOME_IDS}


def possible(span: Mapping[str, tuple[float, float]]) -> tuple[str, ...]:
    """Return the outcomes that can still win, best supported by certain evidence first.

    An outcome can win only if no other outcome, at its lowest belief, still ranks
    above it at its highest (the tie order included); with every fact known the
    bounds are points, and exactly one outcome remains.
    """
    floor = ranking({o: low for o, (low, _) in span.items()})
    return tuple(
        o for o in floor if not any(beats(p, span[p][0], o, span[o][1]) for p in OUTCOME_IDS if p != o)
    )


def may_recommend(
    kb: KnowledgeBase, facts: Mapping[str, FactValue], target: str, *, unanswered: Tri = Tri.NO
) -> bool:
    """Return False only if no run on exactly these facts can recommend ``target`` (with ``unanswered``
    MAYBE: no run on these facts and any values of the facts not given)."""
    rules, _ = truth(kb, facts, unanswered=unanswered)
    return target in possible(spans(kb, rules))


DERIVED_DEFAULTS: dict[str, FactValue] = {name: DEFAULTS[name] for name in DERIVED_FACTS}
"""Derived facts not given hold their default; optional ones stay unanswered (they may be asked)."""


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
    answered: Collection[str],
    exclude: set[str],
) -> dict[str, tuple[str, ...]]:
    """Map each fact not answered to the target rules it can sway through undecided rules and signals."""
    bearing: dict[str, list[str]] = {}
    for target in targets:
        for fact in _reach(target, kb, rules, signals, answered):
            if fact not in exclude:
                bearing.setdefault(fact, []).append(target.id)
    return {fact: tuple(ids) for fact, ids in bearing.items()}


def _reach(
    start: Rule,
    kb: KnowledgeBase,
    rules: Mapping[str, Tri],
    signals: Mapping[str, Tri],
    answered: Collection[str],
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
        found |= {c.fact for c in rule.facts if c.fact not in answered}
        for signal in (*rule.signals, *rule.without):
            if signals[signal] == Tri.MAYBE:
                pending += [d for d in kb.declarers(signal) if rules[d.id] == Tri.MAYBE]
    return found


def _readings(
    facts: Mapping[str, FactValue], several: Mapping[str, tuple[FactValue, ...]]
) -> list[dict[str, FactValue]]:
    """Return the facts as each reading of the contested ones gives them (one reading if none is).

    Contested facts are read value by value while the readings stay within ``READINGS_LIMIT``;
    the others are left out, that is read as unanswered.
    """
    names: list[str] = []
    count = 1
    for name, values in several.items():
        if count * len(values) <= READINGS_LIMIT:
            names.append(name)
            count *= len(values)
    combos = product(*(several[n] for n in names))
    return [{**facts, **dict(zip(names, combo, strict=True))} for combo in combos]


def _meet(each: list[dict[str, Tri]]) -> dict[str, Tri]:
    """Return, for each rule or signal, what every reading decides alike, and MAYBE where they differ."""
    if len(each) == 1:
        return each[0]
    return {k: _agree([e[k] for e in each]) for k in each[0]}


def _agree(values: list[Tri]) -> Tri:
    """Return the value every reading gives, or MAYBE if they differ."""
    return values[0] if all(v == values[0] for v in values) else Tri.MAYBE


def _all(parts: Iterable[Tri]) -> Tri:
    return min(parts, default=Tri.YES)
