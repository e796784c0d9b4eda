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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from advisor.engine.certainty import beats, bounds, ranking
from advisor.engine.logic import Tri, rule_truth, truth
from advisor.facts import DERIVED_FACTS, Facts, FactValue, check_known
from advisor.outcomes import OUTCOME_IDS
from advisor.rulebase import KnowledgeBase, Rule, load_knowledge_base

FactStatus = Literal["known", "decisive", "caution", "idle"]


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


def analyse(known: Mapping[str, FactValue], kb: KnowledgeBase | None = None) -> Relevance:
    """Analyse a partial set of facts: what is settled, and which unanswered facts still matter."""
    kb = kb or load_knowledge_base()
    facts = {**DERIVED_DEFAULTS, **check_known(known)}  # a derived fact not given is its default
    rules, signals = truth(kb, facts)
    span = spans(kb, rules)
    outcomes = possible(span)
    live = tuple(
        r for r in kb.of_kind("evidence") if rules[r.id] == Tri.MAYBE and set(r.outcomes) & set(outcomes)
    )
    if len(outcomes) == 1:
        live = ()
    for caution in kb.of_kind("caution"):
        rules[caution.id] = _all([rule_truth(caution, facts, signals), _recommended(caution, outcomes)])
    decisive = _bearing(live, kb, rules, signals, facts, exclude=set())
    cautions = [c for c in kb.of_kind("caution") if rules[c.id] == Tri.MAYBE]
    cautionary = _bearing(cautions, kb, rules, signals, facts, exclude=set(decisive))
    return Relevance(facts, rules, signals, span, live, decisive, cautionary, outcomes)


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


def may_recommend(kb: KnowledgeBase, facts: Mapping[str, FactValue], target: str) -> bool:
    """Return False only if no run on exactly these facts can recommend ``target``."""
    rules, _ = truth(kb, facts, unanswered=Tri.NO)
    return target in possible(spans(kb, rules))


DERIVED_DEFAULTS: dict[str, FactValue] = {name: Facts.model_fields[name].default for name in DERIVED_FACTS}


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
