"""Why not another outcome: the smallest change of facts that makes the engine recommend a target,
and what stood in its way.

``why_not`` searches the fact space for the smallest change that makes the
engine recommend a target: fewest facts changed first, then fewest steps on
ordered scales. To stay instant it prunes with the three-valued reading of the
rule base that the questionnaire also uses (``advisor.engine.relevance.may_recommend``),
which only ever discards candidates that no run could turn into the target; every
candidate that survives is run through the engine, and results are cached by facts
(``advisor.explain.memo``). The candidates that reading would keep are found in bulk on
the bit masks (``explain.nearest``: the same reading, thousands of times cheaper), in the
order of the search, and only they are read in three values and run.

A case with contested facts is recommended what most of its readings give, and so is each
candidate judged: by the case as given after the change (``engine.as_given.AsGiven``, exactly
what ``--set`` of the change says), never by the one reading the explanation follows. A contested
fact may be set to one value. The readings make a search dearer; past ``SEARCH_BUDGET`` readings
judged, it stops and says so.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import combinations, product
from typing import Any

from advisor.engine import Engine, Recommendation, Tri, may_recommend
from advisor.engine.as_given import AsGiven
from advisor.explain.memo import Memo, memo_for
from advisor.explain.nearest import Nearest, Option
from advisor.explain.subject import FactChange, Subject, as_given_after, outcome_summary, resolve, steps
from advisor.facts import ASKED_FACTS, FactValue, join, scales, show
from advisor.outcomes import OUTCOME_IDS, label
from advisor.rulebase import KnowledgeBase

_MISSING = object()
SEARCH_BUDGET = 200_000  # readings judged by a search over the readings of contested facts, at most


def relevant_facts(kb: KnowledgeBase, target: str) -> tuple[str, ...]:
    """Return the facts that can move any outcome's belief, and so whether ``target`` wins: those
    tested on any path to an evidence rule (derived facts, read off the parties, are not varied)."""
    tested = {c.fact for r in kb.upstream(list(kb.of_kind("evidence")), negated=True) for c in r.facts}
    return tuple(name for name in ASKED_FACTS if name in tested)


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
    changes: tuple[FactChange, ...]
    after: Recommendation | None
    blockers: tuple[Blocker, ...]
    unmet: tuple[
        tuple[str, tuple[str, ...]], ...
    ]  # (rule with evidence for target, its premises that failed)
    max_changes: int
    runs: int  # engine runs this search made (cache hits not counted)
    proposed_by: tuple[str, ...] = ()  # the rules of the knowledge base with evidence for the target
    over_readings: bool = False  # each change judged over the readings of contested facts
    exhausted: bool = False  # the readings were too many to judge every change within SEARCH_BUDGET

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
        if self.exhausted:
            return (
                f"No change found makes the advisor recommend {name}: the readings of the contested facts "
                f"are too many to judge every change of up to {self.max_changes} facts over them."
            )
        if not self.found or self.after is None:
            over = ", judged over the readings of the contested facts," if self.over_readings else ""
            return (
                f"No change of up to {self.max_changes} facts{over} makes the advisor recommend {name}; "
                f"it would take more than that."
            )
        clause = join(c.phrase() for c in self.changes)
        share = self.after.readings.get(self.target, 1.0) if self.after.contested else 1.0
        of = f"; {share:.0%} of the readings" if share < 1.0 else ""
        return f"If {clause}, the advisor would recommend {name} ({self.after.deciding_rule}{of})."

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
            "after": outcome_summary(self.after) if self.after else None,
            "blockers": [b.to_dict() for b in self.blockers],
            "unmet": [{"rule": r, "premises": list(p)} for r, p in self.unmet],
            "proposed_by": list(self.proposed_by),
            "max_changes": self.max_changes,
            "engine_runs": self.runs,
            **({"over_readings": True} if self.over_readings else {}),
            **({"exhausted": True} if self.exhausted else {}),
        }


def why_not(subject: Subject, target: str, *, engine: Engine | None = None, max_changes: int = 3) -> WhyNot:
    """Find the smallest change of facts that makes the engine recommend ``target``; raise ValueError
    for an unknown outcome id. Fewest facts first, then fewest steps, then the documented fact order."""
    if target not in OUTCOME_IDS:
        raise ValueError(f"{target!r} is not an outcome id; use one of {', '.join(OUTCOME_IDS)}")
    engine, rec = resolve(subject, engine)
    memo = memo_for(engine)
    runs_before = memo.runs
    changes: tuple[FactChange, ...] = ()
    exhausted = False
    if rec.outcome != target and rec.contested:
        found, exhausted = _search_over_readings(rec, target, memo, max_changes)
        changes = found or ()
    elif rec.outcome != target:
        changes = _search(rec, target, memo, max_changes) or ()
    after = as_given_after(rec, changes, engine) if changes else None
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
        over_readings=bool(rec.contested),
        exhausted=exhausted,
    )


def _search(rec: Recommendation, target: str, memo: Memo, max_changes: int) -> tuple[FactChange, ...] | None:
    """Return the first changes, in the order of ``candidates``, whose run recommends the target."""
    facts = rec.facts
    options = changes_of(memo.engine.kb, facts, target)
    nearest = Nearest(memo.engine.kb, facts, options, target)
    for count in range(1, max_changes + 1):
        for _, chosen, indices in nearest.possible(count):
            picks = [(options[i][0], options[i][1][j][0]) for i, j in zip(chosen, indices, strict=True)]
            trial = {**facts, **dict(picks)}
            if may_recommend(memo.engine.kb, trial, target) and memo.outcome(trial)[0] == target:
                return tuple(FactChange(name, facts.get(name), value) for name, value in picks)
    return None


def changes_of(kb: KnowledgeBase, facts: Mapping[str, FactValue], target: str) -> list[Option]:
    """Return each fact a search may change, with the values it may take and their steps."""
    return [
        (name, [(v, steps(name, facts.get(name), v)) for v in scales()[name].values if v != facts.get(name)])
        for name in relevant_facts(kb, target)
    ]


def _search_over_readings(
    rec: Recommendation, target: str, memo: Memo, max_changes: int
) -> tuple[tuple[FactChange, ...] | None, bool]:
    """Return the first changes, in the order of ``candidates``, after which the case as given is
    recommended the target: what most readings of the contested facts left give (``AsGiven``, as
    ``--set`` judges a change). A contested fact may be set to any of its values, its steps counted
    from the nearest value given. Where the readings are many, a change is first pruned in three
    values, its contested facts left open (``may_recommend``): no reading could then give the target."""
    kb = memo.engine.kb
    case = AsGiven(kb, rec.facts, rec.contested)
    facts = {k: v for k, v in rec.facts.items() if k not in case.contested}

    def change(name: str, value: FactValue) -> FactChange:
        return FactChange(name, rec.facts.get(name), value, case.contested.get(name, ()))

    options = [
        (
            name,
            [
                (v, change(name, v).steps)
                for v in scales()[name].values
                if name in case.contested or v != facts.get(name)
            ],
        )
        for name in relevant_facts(kb, target)
    ]
    for count in range(1, max_changes + 1):
        for picks in candidates(options, count):
            if case.judged > SEARCH_BUDGET:
                return None, True
            made = dict(picks)
            if case.many(made) and not may_recommend(kb, {**facts, **made}, target, unanswered=Tri.MAYBE):
                continue
            if case.is_outcome(made, target):
                return tuple(change(name, value) for name, value in picks), False
    return None, False


def candidates(options: list[Option], count: int) -> Iterator[tuple[tuple[str, FactValue], ...]]:
    """Yield every change of exactly ``count`` facts, fewest steps first, then in fact and scale order."""
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
