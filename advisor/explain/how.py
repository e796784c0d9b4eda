"""Explanations that teach: how the advisor got there, why not another outcome, what if, how fragile.

Every answer comes from the real engine. ``why_not`` searches the fact space for
the smallest change that makes the engine recommend a target: fewest facts
changed first, then fewest steps on ordered scales. To stay instant it prunes
with the three-valued reading of the rule base that the questionnaire also uses
(``advisor.relevance.may_recommend``), which only ever discards candidates that
no run could turn into the target; every candidate that survives is run through
the engine, and results are cached by facts.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import combinations, product
from typing import Any

from advisor.cases import Case
from advisor.certainty import Confidence
from advisor.engine import Engine, EvidenceGiven, get_engine
from advisor.facts import (
    ALL_FACTS,
    FACT_NAMES,
    Facts,
    FactValue,
    as_known,
    check_known,
    fact_label,
    scales,
    show,
)
from advisor.outcomes import OUTCOME_IDS, label
from advisor.recommendation import Recommendation, advise, support
from advisor.relevance import may_recommend
from advisor.rulebase import KnowledgeBase

Subject = Recommendation | Case | Facts | Mapping[str, FactValue]
"""What every explanation takes: a finished Recommendation, a Case, or facts (any subset)."""

_MISSING = object()


# --- subjects and changes -----------------------------------------------------------------


def known_facts(subject: Subject) -> dict[str, FactValue]:
    """Return the known facts of a subject as a validated mapping, in FACTS.md order."""
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


def steps(fact: str, before: FactValue | None, after: FactValue | None) -> int:
    """Count the steps of a change: rungs apart on an ordered scale, else 1 (also from or to unknown)."""
    scale = scales()[fact]
    if before is None or after is None or not scale.ordered:
        return 0 if before == after else 1
    return abs(scale.rank(after) - scale.rank(before))


@dataclass(frozen=True)
class Change:
    """One fact set to another value (``None`` stands for unknown)."""

    fact: str
    before: FactValue | None
    after: FactValue | None

    @property
    def steps(self) -> int:
        """Return how far the change moves the fact (see ``steps``)."""
        return steps(self.fact, self.before, self.after)

    def phrase(self) -> str:
        """Say the change as an 'if' clause: ``ratification cost were low rather than high``."""
        name, after = fact_label(self.fact), show(self.fact, self.after)
        if self.before is None:
            return f"{name} were {after} (now unknown)"
        return f"{name} were {after} rather than {show(self.fact, self.before)}"

    def to_dict(self) -> dict[str, Any]:
        """Return the change as JSON data."""
        return {"fact": self.fact, "from": self.before, "to": self.after, "steps": self.steps}


def join(parts: Iterable[str]) -> str:
    """Join clauses as English does: ``a``, ``a and b``, ``a, b and c``."""
    items = list(parts)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def parse_setting(text: str) -> tuple[str, FactValue]:
    """Read ``fact=value`` as typed on a command line; raise ValueError naming the fact and its values."""
    name, sep, raw = text.partition("=")
    name, raw = name.strip(), raw.strip()
    table = scales()
    if not sep or name not in table:
        raise ValueError(f"--set {text}: use fact=value with a fact among {', '.join(table)}")
    scale = table[name]
    for value in scale.values:
        if scale.show(value) == raw.lower():
            return name, value
    raise ValueError(f"--set {text}: {name} is one of {scale.allowed()}")


def apply(facts: Mapping[str, FactValue], changes: Mapping[str, FactValue | None]) -> list[Change]:
    """Return the changes that really change facts (value differs); raise ValueError if one is invalid."""
    check_known({k: v for k, v in changes.items() if v is not None})
    missing = [k for k, v in changes.items() if v is None and k not in scales()]
    if missing:
        raise ValueError(f"{missing[0]}: unknown fact; known facts are {', '.join(scales())}")
    return [
        Change(name, facts.get(name), changes[name])
        for name in ALL_FACTS
        if name in changes and facts.get(name) != changes[name]
    ]


def changed(facts: Mapping[str, FactValue], changes: Iterable[Change]) -> dict[str, FactValue]:
    """Return the facts with the changes made (a change to ``None`` forgets the fact)."""
    result = dict(facts)
    for change in changes:
        if change.after is None:
            result.pop(change.fact, None)
        else:
            result[change.fact] = change.after
    return {name: result[name] for name in ALL_FACTS if name in result}


def _summary(rec: Recommendation) -> dict[str, Any]:
    """Return the short JSON form of a recommendation (outcome, rule, cautions)."""
    return {
        "recommendation": rec.outcome,
        "label": rec.label,
        "deciding_rule": rec.deciding_rule,
        "confidence": rec.confidence,
        "runner_up": rec.runner_up,
        "cautions": [c.rule for c in rec.cautions],
    }


# --- how -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """A signal a step rested on, and the step that declared it (``None`` once already explained)."""

    signal: str
    meaning: str
    step: Step | None

    def to_dict(self) -> dict[str, Any]:
        """Return the reason as JSON data."""
        step = self.step.to_dict() if self.step else None
        return {"signal": self.signal, "meaning": self.meaning, "because": step}


@dataclass(frozen=True)
class Step:
    """One rule of the chain: what it concluded, why (its rationale), and what it rested on."""

    rule: str
    title: str
    conclusion: str
    rationale: str
    facts: tuple[str, ...]  # the input facts it matched, in plain language
    reasons: tuple[Reason, ...]
    absent: tuple[tuple[str, str], ...]  # (signal, meaning) that had to be absent

    def to_dict(self) -> dict[str, Any]:
        """Return the step and everything below it as JSON data."""
        return {
            "rule": self.rule,
            "title": self.title,
            "concludes": self.conclusion,
            "rationale": self.rationale,
            "facts": list(self.facts),
            "signals": [r.to_dict() for r in self.reasons],
            "absent": [{"signal": s, "meaning": m} for s, m in self.absent],
        }


@dataclass(frozen=True)
class Weight:
    """One piece of evidence on an outcome: the rule, its certainty factor, and the facts behind it."""

    rule: str
    title: str
    cf: float
    facts: tuple[str, ...]  # the input facts it rested on, in plain language

    def to_dict(self) -> dict[str, Any]:
        """Return the piece of evidence as JSON data."""
        return {"rule": self.rule, "title": self.title, "cf": self.cf, "facts": list(self.facts)}


@dataclass(frozen=True)
class Ledger:
    """Everything said for and against one outcome, and what it added up to."""

    outcome: str
    belief: float
    pro: tuple[Weight, ...]  # strongest first
    con: tuple[Weight, ...]  # strongest first

    @property
    def label(self) -> str:
        """Return the outcome's display name."""
        return label(self.outcome)

    def to_dict(self) -> dict[str, Any]:
        """Return the ledger as JSON data."""
        return {
            "outcome": self.outcome,
            "label": self.label,
            "belief": self.belief,
            "for": [w.to_dict() for w in self.pro],
            "against": [w.to_dict() for w in self.con],
        }


@dataclass(frozen=True)
class How:
    """How the advisor reached its outcome: the evidence on every outcome, and the chain of the strongest."""

    case: str | None
    outcome: str
    deciding_rule: str
    belief: float
    runner_up: str | None
    margin: float
    confidence: Confidence
    root: Step
    ledgers: tuple[Ledger, ...]  # every outcome, best supported first

    @property
    def label(self) -> str:
        """Return the outcome's display name."""
        return label(self.outcome)

    def ledger(self, outcome: str) -> Ledger:
        """Return the ledger of one outcome."""
        return next(x for x in self.ledgers if x.outcome == outcome)

    def sentence(self) -> str:
        """Say the outcome, how clear it is, and its strongest reason in one sentence."""
        lead = {"clear": "a clear lead", "leaning": "a lead", "close": "a close call"}[self.confidence]
        rival = ""
        if self.runner_up is not None:
            rival = f" over {label(self.runner_up)} ({self.ledger(self.runner_up).belief:+.2f})"
        reason = ""
        if self.deciding_rule in {w.rule for w in self.ledger(self.outcome).pro}:
            reason = f"; the strongest reason is {self.deciding_rule} ({self.root.title.rstrip('.')})"
        return (
            f"The advisor recommends {self.label}: its evidence adds up to {self.belief:+.2f}, "
            f"{lead}{rival}{reason}."
        )

    def counterweights(self) -> list[str]:
        """Say what counted against the outcome or for its runner-up, and that it was outweighed."""
        lines = []
        mine = self.ledger(self.outcome)
        for weight in mine.con:
            because = join(weight.facts) if weight.facts else weight.title.lower()
            lines.append(
                f"{because} counted against {self.label} ({weight.rule}, {weight.cf:+.2f}); "
                f"the evidence for it outweighed that."
            )
        if self.runner_up is not None:
            rival = self.ledger(self.runner_up)
            for weight in rival.pro[:3]:
                because = join(weight.facts) if weight.facts else weight.title.lower()
                lines.append(
                    f"{because} counted for {rival.label} ({weight.rule}, {weight.cf:+.2f}), "
                    f"which ended at {rival.belief:+.2f} against {self.belief:+.2f}."
                )
        return lines

    def to_dict(self) -> dict[str, Any]:
        """Return the explanation as JSON data."""
        return {
            "case": self.case,
            "recommendation": self.outcome,
            "label": self.label,
            "deciding_rule": self.deciding_rule,
            "belief": self.belief,
            "confidence": self.confidence,
            "runner_up": self.runner_up,
            "margin": self.margin,
            "sentence": self.sentence(),
            "counterweights": self.counterweights(),
            "chain": self.root.to_dict(),
            "ledgers": [x.to_dict() for x in self.ledgers],
        }


def how(subject: Subject, *, engine: Engine | None = None) -> How:
    """Explain how the outcome was reached: every outcome's evidence, and the strongest reason's chain."""
    rec = recommendation_of(subject, engine_for(subject, engine))
    declarer: dict[str, int] = {}
    for index, firing in enumerate(rec.trace):
        for name in firing.declared:
            declarer.setdefault(name, index)
    start = next(i for i, f in enumerate(rec.trace) if f.rule == rec.deciding_rule)
    root = _step(rec, start, declarer, set())
    return How(
        rec.case,
        rec.outcome,
        rec.deciding_rule,
        rec.belief,
        rec.runner_up,
        rec.margin,
        rec.confidence,
        root,
        ledgers(rec),
    )


def ledgers(rec: Recommendation) -> tuple[Ledger, ...]:
    """Return every outcome's ledger, best supported first."""
    result = []
    for outcome, belief in rec.beliefs.items():
        pieces = [_weight(rec, e) for e in rec.evidence_on(outcome)]
        pro = tuple(w for w in pieces if w.cf > 0)
        con = tuple(w for w in pieces if w.cf < 0)
        result.append(Ledger(outcome, belief, pro, con))
    return tuple(result)


def _weight(rec: Recommendation, evidence: EvidenceGiven) -> Weight:
    """Return a piece of evidence with the input facts its rule rested on."""
    facts: dict[str, FactValue] = {}
    for firing in support(rec.trace, evidence.rule):
        facts.update(firing.matched)
    plain = tuple(f"{fact_label(k)} is {show(k, v)}" for k, v in facts.items())
    return Weight(evidence.rule, rec.kb.rule(evidence.rule).title, evidence.cf, plain)


def _step(rec: Recommendation, index: int, declarer: dict[str, int], seen: set[int]) -> Step:
    """Build the step for one firing and, once each, the steps of the signals it used."""
    firing, kb = rec.trace[index], rec.kb
    rule = kb.rule(firing.rule)
    seen.add(index)
    reasons = []
    for signal in firing.signals:
        source = declarer.get(signal)
        below = _step(rec, source, declarer, seen) if source is not None and source not in seen else None
        reasons.append(Reason(signal, kb.signals[signal], below))
    facts = tuple(f"{fact_label(k)} is {show(k, v)}" for k, v in firing.matched.items())
    absent = tuple((s, kb.signals[s]) for s in rule.without)
    return Step(rule.id, rule.title, rule.conclusion(), rule.rationale, facts, tuple(reasons), absent)


# --- the engine, cached ---------------------------------------------------------------------


class _Memo:
    """What is worth keeping per engine: outcomes by facts."""

    LIMIT = 20_000  # entries; a run is a few kilobytes, an outcome a few bytes

    def __init__(self, engine: Engine):
        self.engine = engine
        self.outcomes: dict[frozenset[tuple[str, FactValue]], tuple[str, str]] = {}
        self.runs = 0

    def outcome(self, facts: Mapping[str, FactValue]) -> tuple[str, str]:
        """Return (outcome, deciding rule) of a run on these facts, from the cache or the engine."""
        key = frozenset(facts.items())
        found = self.outcomes.get(key)
        if found is None:
            if len(self.outcomes) >= self.LIMIT:
                self.outcomes.clear()
            run = self.engine.run(facts)
            self.runs += 1
            found = self.outcomes[key] = (run.outcome, run.deciding_rule)
        return found


_MEMOS: weakref.WeakKeyDictionary[Engine, _Memo] = weakref.WeakKeyDictionary()


def forget(engine: Engine) -> None:
    """Drop the outcomes cached for an engine (benchmarks use it to time cold searches)."""
    _MEMOS.pop(engine, None)


def _memo(engine: Engine) -> _Memo:
    """Return the memo of an engine, creating it on first use."""
    memo = _MEMOS.get(engine)
    if memo is None:
        memo = _MEMOS[engine] = _Memo(engine)
    return memo


def relevant_facts(kb: KnowledgeBase, target: str) -> tuple[str, ...]:
    """Return the facts that can move any outcome's belief, and so whether ``target`` wins: those
    tested on any path to an evidence rule (derived facts, read off the parties, are not varied)."""
    tested = {c.fact for r in kb.upstream(list(kb.of_kind("evidence")), negated=True) for c in r.facts}
    return tuple(name for name in FACT_NAMES if name in tested)


# --- why not -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Blocker:
    """A rule that, in the actual case, stood in the way of the target outcome."""

    rule: str
    title: str
    role: str  # 'against' (evidence against the target), 'rival' (evidence for an outcome ahead) or 'negated'
    text: str

    def to_dict(self) -> dict[str, Any]:
        """Return the blocker as JSON data."""
        return {"rule": self.rule, "title": self.title, "role": self.role, "text": self.text}


@dataclass(frozen=True)
class WhyNot:
    """Why the advisor did not recommend ``target``, and the smallest change of facts that would make it."""

    case: str | None
    target: str
    outcome: str
    found: bool
    changes: tuple[Change, ...]
    after: Recommendation | None
    blockers: tuple[Blocker, ...]
    unmet: tuple[
        tuple[str, tuple[str, ...]], ...
    ]  # (rule with evidence for target, its premises that failed)
    max_changes: int
    runs: int  # engine runs this search made (cache hits not counted)
    proposed_by: tuple[str, ...] = ()  # the rules of the knowledge base with evidence for the target

    @property
    def already(self) -> bool:
        """Return True when the target is already the recommendation."""
        return self.target == self.outcome

    def sentence(self) -> str:
        """Answer in one sentence: already, if-then, or nothing within reach."""
        name = label(self.target)
        if self.already:
            return f"The advisor already recommends {name}."
        if not self.proposed_by:
            return (
                f"No rule of the knowledge base gives evidence for {name}, so no change of facts can give it."
            )
        if not self.found or self.after is None:
            return (
                f"No change of up to {self.max_changes} facts makes the advisor recommend {name}; "
                f"it would take more than that."
            )
        clause = join(c.phrase() for c in self.changes)
        return f"If {clause}, the advisor would recommend {name} ({self.after.deciding_rule})."

    def to_dict(self) -> dict[str, Any]:
        """Return the answer as JSON data."""
        return {
            "case": self.case,
            "target": self.target,
            "target_label": label(self.target),
            "recommendation": self.outcome,
            "already": self.already,
            "found": self.found,
            "sentence": self.sentence(),
            "changes": [c.to_dict() for c in self.changes],
            "steps": sum(c.steps for c in self.changes),
            "after": _summary(self.after) if self.after else None,
            "blockers": [b.to_dict() for b in self.blockers],
            "unmet": [{"rule": r, "premises": list(p)} for r, p in self.unmet],
            "proposed_by": list(self.proposed_by),
            "max_changes": self.max_changes,
            "engine_runs": self.runs,
        }


def why_not(subject: Subject, target: str, *, engine: Engine | None = None, max_changes: int = 3) -> WhyNot:
    """Find the smallest change of facts that makes the engine recommend ``target``; raise ValueError
    for an unknown outcome id. Fewest facts first, then fewest steps, then FACTS.md order."""
    if target not in OUTCOME_IDS:
        raise ValueError(f"{target!r} is not an outcome id; use one of {', '.join(OUTCOME_IDS)}")
    engine = engine_for(subject, engine)
    rec = recommendation_of(subject, engine)
    memo = _memo(engine)
    runs_before = memo.runs
    changes: tuple[Change, ...] = ()
    if rec.outcome != target:
        changes = _search(rec.facts, target, memo, max_changes) or ()
    after = recommendation_for(changed(rec.facts, changes), engine, rec.case) if changes else None
    return WhyNot(
        case=rec.case,
        target=target,
        outcome=rec.outcome,
        found=bool(changes) or rec.outcome == target,
        changes=changes,
        after=after,
        blockers=blockers(rec, target),
        unmet=unmet(rec, target) if rec.outcome != target else (),
        max_changes=max_changes,
        runs=memo.runs - runs_before,
        proposed_by=tuple(
            r.id for r in engine.kb.of_kind("evidence") if target in r.outcomes and (r.cf or 0) > 0
        ),
    )


def _search(
    facts: Mapping[str, FactValue], target: str, memo: _Memo, max_changes: int
) -> tuple[Change, ...] | None:
    """Return the first changes, in the order of ``_candidates``, whose run recommends the target."""
    options = [
        (name, [(v, steps(name, facts.get(name), v)) for v in scales()[name].values if v != facts.get(name)])
        for name in relevant_facts(memo.engine.kb, target)
    ]
    for count in range(1, max_changes + 1):
        for picks in _candidates(options, count):
            trial = {**facts, **dict(picks)}
            if may_recommend(memo.engine.kb, trial, target) and memo.outcome(trial)[0] == target:
                return tuple(Change(name, facts.get(name), value) for name, value in picks)
    return None


def _candidates(
    options: list[tuple[str, list[tuple[FactValue, int]]]], count: int
) -> Iterator[tuple[tuple[str, FactValue], ...]]:
    """Yield every change of exactly ``count`` facts, fewest steps first, then in FACTS.md and scale order."""
    ranked = []
    for chosen in combinations(range(len(options)), count):
        for picks in product(*(range(len(options[i][1])) for i in chosen)):
            total = sum(options[i][1][j][1] for i, j in zip(chosen, picks, strict=True))
            ranked.append((total, chosen, picks))
    ranked.sort()
    for _, chosen, picks in ranked:
        yield tuple((options[i][0], options[i][1][j][0]) for i, j in zip(chosen, picks, strict=True))


def blockers(rec: Recommendation, target: str) -> tuple[Blocker, ...]:
    """Return what stood in the way of ``target`` in this run: evidence against it, evidence for the
    outcomes that ended ahead of it, and declarers of signals that its evidence rules need absent."""
    if rec.outcome == target:
        return ()
    unique: dict[tuple[str, str], Blocker] = {}
    for found in (*_against(rec, target), *_ahead(rec, target), *_negating(rec, target)):
        unique.setdefault((found.rule, found.role), found)
    return tuple(unique.values())


def _blocker(rec: Recommendation, rule_id: str, role: str, text: str) -> Blocker:
    return Blocker(rule_id, rec.kb.rule(rule_id).title, role, text)


def _against(rec: Recommendation, target: str) -> Iterator[Blocker]:
    """Yield the evidence given here against the target."""
    for e in rec.evidence_on(target):
        if e.cf < 0:
            yield _blocker(rec, e.rule, "against", f"counted against {label(target)} ({e.cf:+.2f})")


def _ahead(rec: Recommendation, target: str) -> Iterator[Blocker]:
    """Yield the evidence for the outcomes that ended ahead of the target."""
    mine = rec.beliefs[target]
    for outcome, belief in rec.beliefs.items():
        if outcome == target:
            break
        for e in rec.evidence_on(outcome):
            if e.cf > 0:
                text = (
                    f"counted for {label(outcome)} ({e.cf:+.2f}), which ended at {belief:+.2f} "
                    f"against {mine:+.2f}"
                )
                yield _blocker(rec, e.rule, "rival", text)


def _negating(rec: Recommendation, target: str) -> Iterator[Blocker]:
    """Yield the rules that fired and declared a signal some rule on a path to the target needs absent."""
    kb = rec.kb
    fired = {f.rule for f in rec.trace}
    present = set(rec.signals)
    for rule in kb.upstream([r for r in kb.of_kind("evidence") if target in r.outcomes and (r.cf or 0) > 0]):
        for signal in rule.without:
            for declarer in kb.declarers(signal):
                if signal in present and declarer.id in fired:
                    text = f"declared {signal}, which {rule.id} needs absent on the way to {label(target)}"
                    yield _blocker(rec, declarer.id, "negated", text)


def unmet(rec: Recommendation, target: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return, for each rule with evidence for ``target`` that did not fire, the premises that failed here."""
    fired = {f.rule for f in rec.trace}
    present = set(rec.signals)
    result = []
    for rule in rec.kb.of_kind("evidence"):
        if target not in rule.outcomes or (rule.cf or 0) <= 0 or rule.id in fired:
            continue
        failed = [
            f"{c.text} (here: {show(c.fact, rec.facts.get(c.fact))})"
            for c in rule.facts
            if rec.facts.get(c.fact, _MISSING) not in c.values
        ]
        failed += [f"signal {s} (not declared here)" for s in rule.signals if s not in present]
        failed += [f"no {s} (declared here)" for s in rule.without if s in present]
        result.append((rule.id, tuple(failed)))
    return tuple(result)


# --- what if -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIf:
    """The recommendation before and after some facts change, and what changed in the reasoning."""

    changes: tuple[Change, ...]
    before: Recommendation
    after: Recommendation
    fired_only_before: tuple[str, ...] = field(default=())
    fired_only_after: tuple[str, ...] = field(default=())
    signals_gained: tuple[str, ...] = field(default=())
    signals_lost: tuple[str, ...] = field(default=())
    cautions_gained: tuple[str, ...] = field(default=())
    cautions_lost: tuple[str, ...] = field(default=())

    @property
    def outcome_changed(self) -> bool:
        """Return True when the recommended outcome differs."""
        return self.before.outcome != self.after.outcome

    def sentence(self) -> str:
        """Say in one sentence what the changes do to the recommendation."""
        if not self.changes:
            return f"Nothing changes: the facts are already so. The advisor recommends {self.before.label}."
        clause = join(c.phrase() for c in self.changes)
        if self.outcome_changed:
            return (
                f"If {clause}, the recommendation would change from {self.before.label} "
                f"to {self.after.label} ({self.after.deciding_rule})."
            )
        return (
            f"If {clause}, the advisor would still recommend {self.after.label} ({self.after.deciding_rule})."
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the comparison as JSON data."""
        return {
            "case": self.before.case,
            "changes": [c.to_dict() for c in self.changes],
            "before": _summary(self.before),
            "after": _summary(self.after),
            "outcome_changed": self.outcome_changed,
            "sentence": self.sentence(),
            "fired_only_before": list(self.fired_only_before),
            "fired_only_after": list(self.fired_only_after),
            "signals_gained": list(self.signals_gained),
            "signals_lost": list(self.signals_lost),
            "cautions_gained": list(self.cautions_gained),
            "cautions_lost": list(self.cautions_lost),
        }


def what_if(
    subject: Subject, changes: Mapping[str, FactValue | None], *, engine: Engine | None = None
) -> WhatIf:
    """Re-run with some facts changed (``None`` forgets one) and compare; raise ValueError if invalid."""
    engine = engine_for(subject, engine)
    before = recommendation_of(subject, engine)
    made = tuple(apply(before.facts, changes))
    after = recommendation_for(changed(before.facts, made), engine, before.case)
    rules_before = [f.rule for f in before.trace]
    rules_after = [f.rule for f in after.trace]
    cautions_before = [c.rule for c in before.cautions]
    cautions_after = [c.rule for c in after.cautions]
    return WhatIf(
        changes=made,
        before=before,
        after=after,
        fired_only_before=_minus(rules_before, rules_after),
        fired_only_after=_minus(rules_after, rules_before),
        signals_gained=_minus(after.signals, before.signals),
        signals_lost=_minus(before.signals, after.signals),
        cautions_gained=_minus(cautions_after, cautions_before),
        cautions_lost=_minus(cautions_before, cautions_after),
    )


def recommendation_for(facts: Mapping[str, FactValue], engine: Engine, case: str | None) -> Recommendation:
    """Run the engine on facts and keep the case id on the Recommendation."""
    rec = advise(facts, engine=engine)
    return rec if case is None else replace(rec, case=case)


def _minus(first: Iterable[str], second: Iterable[str]) -> tuple[str, ...]:
    """Return the items of first that are not in second, once each, in first's order."""
    exclude = set(second)
    return tuple(dict.fromkeys(x for x in first if x not in exclude))


# --- sensitivity ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Flip:
    """A single-fact change that changes the recommendation."""

    change: Change
    outcome: str
    rule: str

    def to_dict(self) -> dict[str, Any]:
        """Return the flip as JSON data."""
        return {**self.change.to_dict(), "recommendation": self.outcome, "deciding_rule": self.rule}


@dataclass(frozen=True)
class Sensitivity:
    """Every single-fact change that changes the recommendation, and how many were tried."""

    case: str | None
    outcome: str
    flips: tuple[Flip, ...]
    tried: int

    @property
    def stable(self) -> bool:
        """Return True when no single-fact change alters the recommendation."""
        return not self.flips

    @property
    def hinges_on(self) -> tuple[str, ...]:
        """Return the facts some change of which alters the recommendation, in FACTS.md order."""
        return tuple(dict.fromkeys(f.change.fact for f in self.flips))

    def by_fact(self) -> dict[str, tuple[Flip, ...]]:
        """Return the flips grouped by fact, in FACTS.md order."""
        return {name: tuple(f for f in self.flips if f.change.fact == name) for name in self.hinges_on}

    def summary(self) -> str:
        """Say in one sentence how robust the recommendation is."""
        if self.stable:
            return (
                f"Stable under every single change: none of the {self.tried} single-fact changes "
                f"alters the recommendation of {label(self.outcome)}."
            )
        facts = join(fact_label(f) for f in self.hinges_on)
        return (
            f"Hinges on {facts}: {len(self.flips)} of {self.tried} single-fact changes "
            f"alter the recommendation of {label(self.outcome)}."
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the analysis as JSON data."""
        return {
            "case": self.case,
            "recommendation": self.outcome,
            "stable": self.stable,
            "summary": self.summary(),
            "tried": self.tried,
            "hinges_on": list(self.hinges_on),
            "flips": [f.to_dict() for f in self.flips],
        }


def sensitivity(
    subject: Subject, *, engine: Engine | None = None, facts: Iterable[str] = FACT_NAMES
) -> Sensitivity:
    """Run every single-fact change of the given facts (unknown ones included; by default all of them)
    and keep those that alter the outcome."""
    engine = engine_for(subject, engine)
    rec = recommendation_of(subject, engine)
    memo = _memo(engine)
    flips = []
    tried = 0
    wanted = set(facts)
    for name in (n for n in FACT_NAMES if n in wanted):
        for value in scales()[name].values:
            if rec.facts.get(name) == value:
                continue
            tried += 1
            outcome, rule = memo.outcome({**rec.facts, name: value})
            if outcome != rec.outcome:
                flips.append(Flip(Change(name, rec.facts.get(name), value), outcome, rule))
    return Sensitivity(rec.case, rec.outcome, tuple(flips), tried)


__all__ = [
    "Blocker",
    "Change",
    "Flip",
    "How",
    "Reason",
    "Sensitivity",
    "Step",
    "Subject",
    "WhatIf",
    "WhyNot",
    "apply",
    "blockers",
    "forget",
    "how",
    "known_facts",
    "parse_setting",
    "relevant_facts",
    "sensitivity",
    "unmet",
    "what_if",
    "why_not",
]
