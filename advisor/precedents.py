"""Precedents: the arrangements of the case library closest to a case, and what their parties chose.

As MIT's CASCON does for conflicts, every recommendation can be set beside the
real arrangements that most resemble it. Closeness is agreement on the facts,
weighted by how much each fact matters to the knowledge base:

- **Weights** (``fact_weights``). A fact weighs the sum of ``|cf|`` over the
  evidence rules that test it, directly or through any signal they need
  (``KnowledgeBase.upstream``, absent signals included), each rule counted once
  per fact; the weights are normalised to sum to 1. A fact no evidence rule
  reads weighs 0.
- **Agreement on one fact.** On an ordered scale a difference of ``d`` notches
  earns ``1 - d / (len(scale) - 1)``; on an unordered scale (``issue_scope``)
  and on booleans, 1 when equal and 0 otherwise. A fact given as several
  plausible values earns the mean over them.
- **Similarity** is the weighted mean of the agreements over the facts known in
  the query (a fact left unknown is left out, and the weights are renormalised
  over the known ones), rounded to 9 places so that ties are exact; ties are
  broken by case id. A fact that does not apply to the precedent
  (``standing_commitment``, for a pair) is left out the same way: a group's
  standing pact neither agrees nor differs with a pair.
- **Never the case itself.** A library case is skipped when its id is the
  query's (or in ``exclude``), or when its facts *and* title are those of the
  query.
- **Lean.** The outcome chosen by the most similarity among the ``k`` closest;
  a tie goes to the outcome of the closer precedent.

A case with contested facts asks with their plausible values (an unknown fact is left out).
The library itself is read by ``advisor.library``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from advisor.cases import Case
from advisor.facts import DERIVED_FACTS, Facts, FactValue, check_known, scales
from advisor.library import entries
from advisor.optional import GROUPING_ONLY, applies, grouped
from advisor.rulebase import KnowledgeBase, load_knowledge_base

QueryValue = FactValue | Sequence[FactValue] | None
"""A fact as a query may give it: one value, several plausible values, or unknown (None)."""

SIMILARITY_PLACES = 9


# --- weights ----------------------------------------------------------------------------------


@cache  # a KnowledgeBase hashes by identity, and each is loaded once per process
def _weights(kb: KnowledgeBase) -> tuple[tuple[str, float], ...]:
    raw = dict.fromkeys(scales(), 0.0)
    for rule in kb.of_kind("evidence"):
        tested = {c.fact for r in kb.upstream([rule], negated=True) for c in r.facts}
        for fact in tested:
            if fact in raw:
                raw[fact] += abs(rule.cf or 0.0)
    total = sum(raw.values())
    if total == 0:  # a knowledge base with no evidence on facts: every fact counts the same
        return tuple((fact, 1 / len(raw)) for fact in raw)
    return tuple((fact, value / total) for fact, value in raw.items())


def fact_weights(kb: KnowledgeBase | None = None) -> dict[str, float]:
    """Return how much each fact matters to the knowledge base, in the order of the vocabulary, summing
    to 1 (how: **Weights** in the module's docstring)."""
    return dict(_weights(kb if kb is not None else load_knowledge_base()))


# --- similarity -------------------------------------------------------------------------------


def agreement(fact: str, query: QueryValue, other: FactValue) -> float:
    """Return the credit (0..1) a query value earns against another case's value of one fact."""
    if query is None:
        raise ValueError(f"{fact}: an unknown value earns no credit")
    if not isinstance(query, str | bool):
        values = list(query)
        if not values:
            raise ValueError(f"{fact}: no plausible value given")
        return sum(agreement(fact, value, other) for value in values) / len(values)
    scale = scales()[fact]
    if query == other:
        return 1.0
    if not scale.ordered:
        return 0.0
    return 1.0 - abs(scale.rank(query) - scale.rank(other)) / (len(scale.values) - 1)


def _known(facts: Facts | Mapping[str, QueryValue]) -> dict[str, QueryValue]:
    """Return the query's known facts that apply, checked against the scales, in the vocabulary's order."""
    given: Mapping[str, Any] = facts.model_dump() if isinstance(facts, Facts) else facts
    table = scales()
    for name, value in given.items():
        if value is None:
            continue
        values = [value] if isinstance(value, str | bool) else list(value)
        if not values:
            raise ValueError(f"{name}: no plausible value given")
        for single in values:
            check_known({name: single})  # raises ValueError naming the fact
    # an optional fact that does not apply (standing_commitment for a pair) is ignored, as by the rules
    return {name: given[name] for name in table if given.get(name) is not None and applies(name, given)}


@dataclass(frozen=True)
class _Query:
    """A query made ready for scoring: each known fact's weight, and its credit for every value."""

    known: dict[str, QueryValue]
    weights: dict[str, float]
    credits: dict[str, dict[FactValue, float]]
    total: float  # the weight of the known facts
    pair_weights: dict[str, float]  # the weights of those that apply to a pair precedent
    pair_total: float

    @classmethod
    def of(cls, facts: Facts | Mapping[str, QueryValue], weights: Mapping[str, float]) -> _Query:
        known = _known(facts)
        table = scales()
        credits = {n: {v: agreement(n, q, v) for v in table[n].values} for n, q in known.items()}
        used = {n: weights.get(n, 0.0) for n in known}
        pair = {n: w for n, w in used.items() if n not in GROUPING_ONLY}
        return cls(known, used, credits, sum(used.values()), pair, sum(pair.values()))

    def _scored(self, other: Mapping[str, FactValue]) -> tuple[dict[str, float], float]:
        """Return the weights that count against a precedent, and their total: a fact that does not
        apply to the precedent (standing_commitment, for a pair) is neither agreement nor difference."""
        if grouped(other):
            return self.weights, self.total
        return self.pair_weights, self.pair_total

    def similarity(self, other: Mapping[str, FactValue]) -> float:
        """Return the weighted agreement with another case's facts; 0.0 when no fact of weight is known."""
        weights, total = self._scored(other)
        if total == 0:
            return 0.0
        score = sum(w * self.credits[n][other[n]] for n, w in weights.items())
        return round(score / total, SIMILARITY_PLACES)

    def compare(self, other: Mapping[str, FactValue]) -> tuple[list[str], list[Difference]]:
        """Return the known facts that agree and the differences, most costly first."""
        agree: list[str] = []
        differ: list[Difference] = []
        weights, _ = self._scored(other)
        for name, value in self.known.items():
            if name not in weights:
                continue
            credit = self.credits[name][other[name]]
            if credit == 1.0:
                agree.append(name)
            else:
                differ.append(Difference(name, value, other[name], self.weights[name], credit))
        differ.sort(key=lambda d: -d.cost)  # stable: vocabulary order among equal costs
        return agree, differ


def similarity(
    facts: Facts | Mapping[str, QueryValue], other: Facts, *, weights: Mapping[str, float] | None = None
) -> float:
    """Return the weighted agreement (0..1) of the query's known facts with another case's facts;
    0.0 when no fact of any weight is known."""
    query = _Query.of(facts, weights if weights is not None else fact_weights())
    return query.similarity(dict(other))


# --- precedents -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """A fact on which a precedent differs from the query: both values, and what the gap costs."""

    fact: str
    query: QueryValue
    precedent: FactValue
    weight: float  # the fact's weight (fact_weights)
    credit: float  # the partial credit earned (0..1)

    @property
    def cost(self) -> float:
        """Return how much the difference takes off the similarity, before renormalisation."""
        return self.weight * (1 - self.credit)


def _json(value: QueryValue) -> Any:
    """Return a query value as JSON data: several plausible values as a list."""
    return value if value is None or isinstance(value, str | bool) else list(value)


@dataclass(frozen=True)
class Precedent:
    """One arrangement of the library close to the query, and what its parties chose."""

    case: str
    title: str | None
    year: int | None
    parties: tuple[str, ...]
    chose: str  # the outcome id the parties actually chose (the case's ``expected``)
    similarity: float  # 0..1
    agree: tuple[str, ...]  # the known facts with the same value, in vocabulary order
    differ: tuple[Difference, ...]  # the known facts that differ, most costly first

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form used by ``advisor precedents --json``."""
        data: dict[str, Any] = {key: getattr(self, key) for key in ("case", "title", "year", "chose")}
        data["similarity"] = round(self.similarity, 4)
        data["differences"] = {
            d.fact: {"this_case": _json(d.query), "precedent": d.precedent} for d in self.differ
        }
        return data


@dataclass(frozen=True)
class Precedents:
    """The closest precedents of a query, closest first, and the outcome they lean to."""

    items: tuple[Precedent, ...]
    lean: str | None  # the similarity-weighted majority of what they chose; None without precedents

    def __iter__(self) -> Iterator[Precedent]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def disagrees_with(self, outcome: str) -> bool:
        """Say whether the precedents lean to another outcome than the given one."""
        return self.lean is not None and self.lean != outcome

    def to_dict(self, outcome: str | None = None) -> dict[str, Any]:
        """Return the precedents, the lean and, given the rules' outcome, whether they disagree."""
        data: dict[str, Any] = {"precedents": [p.to_dict() for p in self.items], "lean": self.lean}
        if outcome is not None:
            data["disagrees"] = self.disagrees_with(outcome)
        return data


def precedents(
    facts: Case | Facts | Mapping[str, QueryValue],
    *,
    library: Iterable[Case] | None = None,
    k: int = 3,
    exclude: str | Iterable[str] | None = None,
    kb: KnowledgeBase | None = None,
) -> Precedents:
    """Return the ``k`` library cases closest to a case or to facts (any subset), never the case itself.

    ``library`` defaults to the bundled case library; ``exclude`` names case ids to leave out
    (a Case's own id always is); ``kb`` gives the weights (the bundled knowledge base by default).
    """
    if k < 0:
        raise ValueError(f"k must be 0 or more, not {k}")
    title: str | None = None
    excluded = {exclude} if isinstance(exclude, str) else set(exclude or ())
    query_facts = dict(facts) if isinstance(facts, Facts) else None
    if isinstance(facts, Case):
        title = facts.title
        if facts.id:
            excluded.add(facts.id)
        query_facts = dict(facts.facts)
        facts = plausible(query_facts, facts.contested)
    query = _Query.of(facts, fact_weights(kb))
    # nothing answered (the derived facts are read off the parties): no case is closer than another
    if query.total == 0 or set(query.known) <= set(DERIVED_FACTS):
        return Precedents((), None)
    scored: list[tuple[float, str, Case]] = []
    candidates = entries(None) if library is None else ((case, dict(case.facts)) for case in library)
    for case, values in candidates:
        if case.name in excluded or case.expected is None:
            continue
        if query_facts is not None and title == case.title and query_facts == values:
            continue
        scored.append((query.similarity(values), case.name, case))
    scored.sort(key=lambda item: (-item[0], item[1]))
    chosen = tuple(_precedent(case, score, query) for score, _, case in scored[:k])
    return Precedents(chosen, _lean(chosen))


def plausible(
    facts: Mapping[str, FactValue], contested: Mapping[str, tuple[FactValue, ...]]
) -> dict[str, QueryValue]:
    """Return facts as a query: a contested fact as its plausible values (not the value of one
    reading), one contested over its whole scale left out as unknown."""
    query: dict[str, QueryValue] = dict(facts)
    for name, values in contested.items():
        query[name] = None if scales()[name].says_nothing(values) else list(values)
    return query


def _precedent(case: Case, score: float, query: _Query) -> Precedent:
    agree, differ = query.compare(dict(case.facts))
    assert case.expected is not None
    return Precedent(
        case=case.name,
        title=case.title,
        year=case.year,
        parties=tuple(case.parties),
        chose=case.expected,
        similarity=score,
        agree=tuple(agree),
        differ=tuple(differ),
    )


def _lean(items: Sequence[Precedent]) -> str | None:
    """Return the outcome with the most similarity among the precedents; a tie goes to the closer one."""
    totals: dict[str, float] = {}
    for item in items:  # closest first, so dict order breaks ties
        totals[item.chose] = totals.get(item.chose, 0.0) + item.similarity
    if not totals:
        return None
    best = max(totals.values())
    return next(o for o, total in totals.items() if abs(total - best) < 1e-9)


__all__ = [
    "Difference",
    "Precedent",
    "Precedents",
    "QueryValue",
    "agreement",
    "fact_weights",
    "plausible",
    "precedents",
    "similarity",
]
