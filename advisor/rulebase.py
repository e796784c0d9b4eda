"""The knowledge base: rule files read once into typed, checked Rule objects.

Rule files are data (YAML), never code. Loading checks every rule the way
EMYCIN's ``check-conditions`` did: unknown facts or signals, values off a
fact's scale, duplicate ids, signals that nobody declares or nobody uses -- each
reported with the file and line, before any consultation starts.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from advisor.documents import Document, DocumentError, read_bytes, read_document
from advisor.facts import FactValue, Scale, fact_label, scales
from advisor.outcomes import OUTCOME_IDS, label

RuleKind = Literal["signal", "evidence", "caution", "combine"]
MAX_CF = 0.95  # a single rule is never certain: EMYCIN's combination needs |cf| < 1
ID_PATTERN = re.compile(r"^[A-Z]{2,4}-\d{2}$")
SIGNAL_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


class RuleBaseError(ValueError):
    """The knowledge base is not valid; ``problems`` lists every finding with file and line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


# --- the shape of a rule file, as written ------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _RawSource(_Strict):
    seed: str | None = None
    cite: str | None = None
    passage: str


class _RawWhen(_Strict):
    facts: dict[str, Any] = {}
    signals: list[str] = []
    without: list[str] = []
    recommended: list[str] = []


class _RawThen(_Strict):
    signal: str | None = None
    evidence: str | list[str] | None = None
    cf: float | None = None
    caution: str | None = None
    combine: Literal["certainty_factors"] | None = None
    propose: Any = None  # retired in 0.2: reported with a pointer to evidence/cf
    priority: Any = None
    resolve: Any = None


class _RawRule(_Strict):
    id: str
    title: str
    when: _RawWhen = _RawWhen()
    then: _RawThen
    rationale: str
    source: _RawSource

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError("a rule id is two to four capitals, a hyphen and two digits (THR-01)")
        return value


class _RawSeed(_Strict):
    title: str
    file: str


class _RawFile(_Strict):
    sources: dict[str, _RawSeed] = {}
    signals: dict[str, str] = {}
    rules: list[_RawRule] = []


# --- the typed objects everyone else reads ------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """A test on one fact: the fact's value must be one of ``values``."""

    fact: str
    values: tuple[FactValue, ...]
    text: str  # the condition as written, in near-English


@dataclass(frozen=True)
class Source:
    """Where a rule's knowledge comes from: a seed passage or a cited work."""

    passage: str
    seed: str | None = None
    cite: str | None = None

    def describe(self, seeds: dict[str, _RawSeed]) -> str:
        """Name the source in one line."""
        if self.seed is not None:
            return f"seed {self.seed} ({seeds[self.seed].title})"
        return self.cite or "uncited"


@dataclass(frozen=True)
class Rule:
    """One rule of the knowledge base, with everything needed to run, check and explain it."""

    id: str
    title: str
    kind: RuleKind
    facts: tuple[Condition, ...]
    signals: tuple[str, ...]
    without: tuple[str, ...]
    recommended: tuple[str, ...]
    rationale: str
    source: Source
    file: str
    line: int
    declares: str | None = None  # the signal, for signal rules
    outcomes: tuple[str, ...] = ()  # the outcomes an evidence rule bears on, each with the same factor
    cf: float | None = None  # its certainty factor: > 0 for the outcomes, < 0 against them
    caution: str | None = None

    @property
    def where(self) -> str:
        """Return ``file:line`` of the rule's definition."""
        return f"{self.file}:{self.line}"

    def conclusion(self, *, brief: bool = False) -> str:
        """Say in near-English what the rule concludes; ``brief`` names a caution by its title."""
        if self.kind == "signal":
            return f"signal {self.declares}"
        if self.kind == "evidence":
            assert self.outcomes and self.cf is not None
            side = "for" if self.cf > 0 else "against"
            return f"evidence {side} {' and '.join(label(o) for o in self.outcomes)} ({self.cf:+.2f})"
        if self.kind == "caution":
            return f"caution “{self.title}”" if brief else f"caution: {self.caution}"
        return "combine the evidence (certainty factors) and recommend the best-supported outcome"

    def premises(self) -> list[str]:
        """Say in near-English what must hold for the rule to fire."""
        parts = [c.text for c in self.facts]
        parts += [f"signal {s} is present" for s in self.signals]
        parts += [f"signal {s} is absent" for s in self.without]
        if self.recommended:
            parts.append("the recommendation is " + " or ".join(label(o) for o in self.recommended))
        return parts


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """All rules and signal definitions, checked, in the order they were written.

    Two knowledge bases are equal only if they are the same object, so that a
    knowledge base can key the caches of what is derived from it.
    """

    rules: tuple[Rule, ...]
    signals: dict[str, str]
    seeds: dict[str, _RawSeed]
    directory: Path
    by_id: dict[str, Rule] = field(init=False, repr=False)

    _declarers: dict[str, list[Rule]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {r.id: r for r in self.rules})
        index: dict[str, list[Rule]] = {}
        for rule in self.rules:
            if rule.declares:
                index.setdefault(rule.declares, []).append(rule)
        object.__setattr__(self, "_declarers", index)

    def rule(self, rule_id: str) -> Rule:
        """Return a rule by id (case-insensitive), or raise KeyError."""
        return self.by_id[rule_id.upper()]

    def of_kind(self, kind: RuleKind) -> Iterator[Rule]:
        """Yield the rules of one kind, in file order."""
        return (r for r in self.rules if r.kind == kind)

    def declarers(self, signal: str) -> list[Rule]:
        """Return the rules that declare a signal."""
        return list(self._declarers.get(signal, ()))

    def needs(self, rule: Rule, *, negated: bool = True) -> list[Rule]:
        """Return the rules declaring the signals a rule needs present (and, with ``negated``, absent)."""
        return [d for s in (*rule.signals, *(rule.without if negated else ())) for d in self.declarers(s)]

    def upstream(self, rules: Iterable[Rule], *, negated: bool = False) -> list[Rule]:
        """Return the rules and, transitively, every rule they need (``needs``), once each, in file order."""
        found: set[str] = set()
        pending = list(rules)
        while pending:
            rule = pending.pop()
            if rule.id not in found:
                found.add(rule.id)
                pending += self.needs(rule, negated=negated)
        return [r for r in self.rules if r.id in found]

    def users_of_signal(self, signal: str) -> list[Rule]:
        """Return the rules that test a signal, present or absent."""
        return [r for r in self.rules if signal in (*r.signals, *r.without)]

    def users_of_fact(self, fact: str) -> list[Rule]:
        """Return the rules that test a fact."""
        return [r for r in self.rules if any(c.fact == fact for c in r.facts)]

    def describe_source(self, rule: Rule) -> str:
        """Name a rule's source in one line."""
        return rule.source.describe(self.seeds)


# --- loading ------------------------------------------------------------------------------


def default_directory() -> Path:
    """Return the knowledge base shipped with the advisor (installed copy or source tree)."""
    installed = Path(str(resources.files("advisor"))) / "_rules"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "rules"


@cache
def digest(directory: Path | None = None) -> str:
    """Return a short fingerprint of a rules directory's files (names and bytes), to tell two apart."""
    folder = (directory or default_directory()).resolve()
    hasher = hashlib.sha256()
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
        try:
            content = read_bytes(path)
        except DocumentError as exc:
            content = str(exc).encode()
        hasher.update(path.name.encode() + b"\0" + content + b"\0")
    return "sha256:" + hasher.hexdigest()[:16]


@cache  # by argument; _load shares one knowledge base across spellings of a directory
def load_knowledge_base(directory: Path | None = None) -> KnowledgeBase:
    """Read and check every ``*.yaml`` rule file in a directory (once per process); raise RuleBaseError."""
    return _load((directory or default_directory()).resolve())


@cache
def _load(directory: Path) -> KnowledgeBase:
    """Read a rules directory given as an absolute path, so that every spelling of it shares one cache."""
    if not directory.is_dir():
        raise RuleBaseError([f"{directory}: no such rules directory"])
    files = sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml"))
    if not files:
        raise RuleBaseError([f"{directory}: holds no rule files (*.yaml)"])
    builder = _Builder(directory)
    for path in files:
        builder.read(path)
    return builder.finish()


class _Builder:
    """Accumulates rule files, collecting every problem before giving up."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.problems: list[str] = []
        self.rules: list[Rule] = []
        self.signals: dict[str, str] = {}
        self.signal_lines: dict[str, str] = {}
        self.seeds: dict[str, _RawSeed] = {}
        self.broken_declares: set[str] = set()  # signals of rules already reported as broken

    def read(self, path: Path) -> None:
        """Read one rule file, recording its problems."""
        name = _display(path, self.directory)
        try:
            document = read_document(path)
        except DocumentError as exc:
            self.problems.append(f"{name}: {exc}")
            return
        if not isinstance(document.data, dict):
            self.problems.append(f"{name}: a rule file is a mapping with sources, signals or rules")
            return
        try:
            raw = _RawFile.model_validate(document.data)
        except ValidationError as exc:
            self.problems += _validation_problems(exc, name, document)
            return
        self.seeds.update(raw.sources)
        for signal, text in raw.signals.items():
            where = f"{name}:{document.line_of(('signals', signal))}"
            if signal in self.signals:
                self.problems.append(
                    f"{where}: signal {signal} is already defined at {self.signal_lines[signal]}"
                )
            elif not SIGNAL_PATTERN.match(signal):
                self.problems.append(f"{where}: signal names are lower_snake_case: {signal!r}")
            self.signals[signal] = text.strip()
            self.signal_lines[signal] = where
        for index, raw_rule in enumerate(raw.rules):
            line = document.line_of(("rules", index)) or 0
            rule = self._rule(raw_rule, name, line, document, index)
            if rule is not None:
                self.rules.append(rule)

    def _rule(self, raw: _RawRule, name: str, line: int, document: Document, index: int) -> Rule | None:
        """Turn one raw rule into a Rule, or record why it cannot be."""
        problems_before = len(self.problems)

        def problem(path: tuple[str | int, ...], message: str) -> None:
            where = document.line_of(("rules", index, *path)) or line
            self.problems.append(f"{name}:{where}: rule {raw.id}: {message}")

        conditions = []
        for fact, spec in raw.when.facts.items():
            try:
                conditions.append(parse_condition(fact, spec))
            except ValueError as exc:
                problem(("when", "facts", fact), str(exc))
        for outcome in raw.when.recommended:
            if outcome not in OUTCOME_IDS:
                problem(("when", "recommended"), _not_outcome(outcome))
        if raw.then.propose is not None or raw.then.priority is not None or raw.then.resolve is not None:
            problem(
                ("then",),
                "propose/priority/resolve were replaced in 0.2 by evidence: OUTCOME with cf: -0.95..0.95",
            )
            return None
        kind = _kind(raw.then)
        if kind is None:
            problem(("then",), "'then' needs exactly one of signal, evidence, caution, combine")
            return None
        evidence = (
            [raw.then.evidence] if isinstance(raw.then.evidence, str) else list(raw.then.evidence or [])
        )
        if kind == "evidence":
            for outcome in evidence or [""]:
                if outcome not in OUTCOME_IDS:
                    problem(("then", "evidence"), _not_outcome(outcome))
            if len(set(evidence)) != len(evidence):
                problem(("then", "evidence"), "an outcome is listed twice")
            if raw.then.cf is None or not (0 < abs(raw.then.cf) <= MAX_CF):
                problem(
                    ("then",), f"evidence needs a certainty factor cf between -{MAX_CF} and {MAX_CF}, not 0"
                )
        elif raw.then.cf is not None:
            problem(("then", "cf"), "only evidence rules have a certainty factor")
        if raw.when.recommended and kind != "caution":
            problem(("when", "recommended"), "only cautions may test the recommendation")
        if raw.source.seed is None and raw.source.cite is None:
            problem(("source",), "a source names a seed (seed: '001') or a cited work (cite: ...)")
        if kind == "signal" and raw.then.signal and not SIGNAL_PATTERN.match(raw.then.signal):
            problem(("then", "signal"), f"signal names are lower_snake_case: {raw.then.signal!r}")
        if len(self.problems) > problems_before:
            if raw.then.signal:
                self.broken_declares.add(raw.then.signal)
            return None
        return Rule(
            id=raw.id,
            title=" ".join(raw.title.split()),  # one line: a newline must not forge one
            kind=kind,
            facts=tuple(conditions),
            signals=tuple(raw.when.signals),
            without=tuple(raw.when.without),
            recommended=tuple(raw.when.recommended),
            rationale=" ".join(raw.rationale.split()),
            source=Source(
                passage=" ".join(raw.source.passage.split()),
                seed=raw.source.seed,
                cite=raw.source.cite,
            ),
            file=name,
            line=line,
            declares=raw.then.signal,
            outcomes=tuple(evidence),
            cf=raw.then.cf,
            caution=" ".join(raw.then.caution.split()) if raw.then.caution else None,
        )

    def finish(self) -> KnowledgeBase:
        """Run the whole-base checks and return the KnowledgeBase, or raise RuleBaseError."""
        lines = {s: w for s, w in self.signal_lines.items() if s not in self.broken_declares}
        self.problems += list(_cross_checks(self.rules, self.signals, lines, self.seeds))
        if self.problems:
            raise RuleBaseError(self.problems)
        kb = KnowledgeBase(tuple(self.rules), self.signals, self.seeds, self.directory)
        strata(kb)  # negations must admit a firing order
        return kb


def _cross_checks(
    rules: list[Rule], signals: dict[str, str], signal_lines: dict[str, str], seeds: dict[str, Any]
) -> Iterable[str]:
    """Yield the problems that only show across the whole base."""
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            yield f"{rule.where}: duplicate rule id {rule.id} (first at {seen[rule.id].where})"
        seen.setdefault(rule.id, rule)
        for signal in (*rule.signals, *rule.without, *([rule.declares] if rule.declares else [])):
            if signal not in signals:
                yield f"{rule.where}: rule {rule.id}: unknown signal {signal!r}; define it under signals:"
        if rule.source.seed is not None and rule.source.seed not in seeds:
            known = ", ".join(sorted(seeds)) or "none"
            yield f"{rule.where}: rule {rule.id}: unknown seed {rule.source.seed!r} (known: {known})"
    declared = {r.declares for r in rules if r.declares}
    used = {s for r in rules for s in (*r.signals, *r.without)}
    for signal, where in signal_lines.items():
        if signal not in declared:
            yield f"{where}: signal {signal} is never declared by any rule"
        elif signal not in used:
            yield f"{where}: signal {signal} is declared but no rule uses it"
    combiners = [r for r in rules if r.kind == "combine"]
    if len(combiners) != 1:
        yield f"the knowledge base needs exactly one combine rule; it has {len(combiners)}"
    if not any(r.kind == "evidence" and (r.cf or 0) > 0 and not r.facts and not r.signals for r in rules):
        yield "the knowledge base needs a baseline: an evidence rule for an outcome with no conditions"


@cache
def strata(kb: KnowledgeBase) -> dict[str, int]:
    """Assign each rule a stratum: after every rule whose signals it uses, strictly after negated ones.

    A rule that needs a signal absent may only be judged once every rule that could
    declare the signal has had its chance; the compiler turns strata into salience.
    Raise RuleBaseError, naming the rules, if negations form a cycle.
    """
    level = {r.id: 0 for r in kb.rules}
    inference = [r for r in kb.rules if r.kind in ("signal", "evidence")]
    rising: list[Rule] = []
    for _ in range(len(inference) + 1):
        rising = []
        for rule in inference:
            needed = max(
                [level[d.id] for s in rule.signals for d in kb.declarers(s)]
                + [level[d.id] + 1 for s in rule.without for d in kb.declarers(s)]
                + [0]
            )
            if needed > level[rule.id]:
                level[rule.id] = needed
                rising.append(rule)
        if not rising:
            break
    else:
        names = ", ".join(f"{r.id} ({r.where})" for r in _on_a_cycle(kb, rising))
        raise RuleBaseError([f"these rules negate signals in a cycle, so no firing order is sound: {names}"])
    top = max([level[r.id] for r in inference] + [0])
    for rule in kb.rules:
        if rule.kind == "combine":
            level[rule.id] = top + 1
        elif rule.kind == "caution":
            level[rule.id] = top + 3  # combining takes two steps: absorb, then rank
    return level


def _on_a_cycle(kb: KnowledgeBase, rules: list[Rule]) -> list[Rule]:
    """Return the rules that depend on themselves through the signals they need (present or absent)."""
    return [r for r in rules if r in kb.upstream(kb.needs(r), negated=True)]


def _kind(then: _RawThen) -> RuleKind | None:
    """Return the kind a 'then' clause makes, or None unless exactly one conclusion is given."""
    given: list[RuleKind] = []
    if then.signal is not None:
        given.append("signal")
    if then.evidence is not None:
        given.append("evidence")
    if then.caution is not None:
        given.append("caution")
    if then.combine is not None:
        given.append("combine")
    return given[0] if len(given) == 1 else None


def parse_condition(fact: str, spec: Any) -> Condition:
    """Read one fact condition (a value, a list of values, or at_least/at_most/not); raise ValueError."""
    table = scales()
    if fact not in table:
        raise ValueError(f"unknown fact {fact!r}; known facts are {', '.join(table)}")
    scale = table[fact]
    name = fact_label(fact)
    if isinstance(spec, list):
        values = [_value(scale, v) for v in spec]
        if not values:
            raise ValueError(f"{fact}: an empty list can never match")
        return Condition(fact, _in_order(scale, values), f"{name} is " + " or ".join(map(scale.show, values)))
    if not isinstance(spec, dict):
        value = _value(scale, spec)
        return Condition(fact, (value,), f"{name} is {scale.show(value)}")
    unknown = set(spec) - {"at_least", "at_most", "not"}
    if unknown:
        raise ValueError(f"{fact}: unknown test {sorted(unknown)[0]!r}; use at_least, at_most or not")
    allowed = set(scale.values)
    texts = []
    for op in ("at_least", "at_most"):
        if op in spec:
            if not scale.ordered:
                raise ValueError(f"{fact}: {op} needs an ordered scale; {fact} has none")
            bound = scale.rank(_value(scale, spec[op]))
            sign = 1 if op == "at_least" else -1
            allowed = {v for v in allowed if sign * (scale.rank(v) - bound) >= 0}
            texts.append(f"{op.replace('_', ' ')} {scale.show(spec[op])}")
    if "not" in spec:
        excluded = spec["not"] if isinstance(spec["not"], list) else [spec["not"]]
        allowed -= {_value(scale, v) for v in excluded}
        texts.append("not " + " or ".join(scale.show(v) for v in excluded))
    if not allowed:
        raise ValueError(f"{fact}: this test can never match")
    return Condition(fact, _in_order(scale, allowed), f"{name} is " + ", ".join(texts))


def _value(scale: Scale, value: Any) -> FactValue:
    """Return a value checked against a fact's scale; raise ValueError naming the allowed ones."""
    if isinstance(value, str | bool) and value in scale.values and type(value) is type(scale.values[0]):
        return value
    return _raise(f"{scale.name}: {scale.refuse(value)}")


def _raise(message: str) -> FactValue:
    raise ValueError(message)


def _in_order(scale: Scale, values: Iterable[FactValue]) -> tuple[FactValue, ...]:
    chosen = set(values)
    return tuple(v for v in scale.values if v in chosen)


def _not_outcome(value: str) -> str:
    return f"{value!r} is not an outcome id; use one of {', '.join(OUTCOME_IDS)}"


def _display(path: Path, directory: Path) -> str:
    """Name a rule file as a person would look for it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _validation_problems(exc: ValidationError, name: str, document: Document) -> list[str]:
    """Turn pydantic's findings into ``file:line: field: message`` lines."""
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        line = document.line_of(loc)
        where = ".".join(str(p) for p in loc)
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown key"
        elif error["type"] == "missing":
            message = "is required"
        problems.append(f"{name}:{line}: {where}: {message}")
    return problems
