"""Loading the knowledge base: rule files read once into typed, checked Rule objects.

Rule files are data (YAML), never code. Loading checks every rule the way
EMYCIN's ``check-conditions`` did: unknown facts or signals, values off a
fact's scale, duplicate ids, signals that nobody declares or nobody uses -- each
reported with the file and line, before any consultation starts. Each rule is
validated on its own: a bad rule is named by its id, and the others of its file
are still read, so that the checks across the base report only real problems.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from advisor.documents import Document, DocumentError, read_bytes, read_document
from advisor.outcomes import OUTCOME_IDS
from advisor.rulebase.checks import cross_checks, passages
from advisor.rulebase.conditions import parse_condition
from advisor.rulebase.model import KnowledgeBase, Rule, RuleBaseError, RuleKind, Source
from advisor.rulebase.schema import (
    FILE_KEYS,
    MAX_CF,
    SIGNAL_PATTERN,
    _RawRule,
    _RawRules,
    _RawSeed,
    _RawSignals,
    _RawSources,
    _RawThen,
)
from advisor.rulebase.strata import strata

Path_ = tuple[str | int, ...]


def default_directory() -> Path:
    """Return the knowledge base shipped with the advisor (installed copy or source tree)."""
    installed = Path(str(resources.files("advisor"))) / "_rules"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "rules"


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
    builder = _Builder(directory)
    for path in _rule_files(directory):
        builder.read(path)
    return builder.finish()


def check_knowledge_base(directory: Path | None = None, seeds: Path | None = None) -> list[str]:
    """Return every problem of a rules directory (none: it loads), and with ``seeds``, the folder of
    the seed texts, every passage that is not in its seed word for word."""
    folder = (directory or default_directory()).resolve()
    try:
        files = _rule_files(folder)
    except RuleBaseError as exc:
        return exc.problems
    builder = _Builder(folder)
    for path in files:
        builder.read(path)
    kb, problems = builder.checked()
    return problems + (passages(kb, seeds) if seeds is not None else [])


def _rule_files(directory: Path) -> list[Path]:
    """Return the rule files of a directory, in the order they are read; raise RuleBaseError if none."""
    if directory.exists() and not directory.is_dir():
        raise RuleBaseError([f"{directory}: is a file, not a directory; give the folder of the rule files"])
    if not directory.is_dir():
        raise RuleBaseError([f"{directory}: no such rules directory"])
    files = sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml"))
    if not files:
        raise RuleBaseError([f"{directory}: holds no rule files (*.yaml)"])
    return files


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
        self.unreadable: set[str] = set()  # parts of a file already reported (sources, signals)

    def read(self, path: Path) -> None:
        """Read one rule file, recording its problems."""
        name = _display(path, self.directory)
        try:
            document = read_document(path)
        except DocumentError as exc:
            self.problems.append(f"{name}: {exc}")
            self.unreadable.update(FILE_KEYS)
            return
        data = document.data
        if not isinstance(data, dict):
            self.problems.append(f"{name}: a rule file is a mapping with sources, signals or rules")
            self.unreadable.update(FILE_KEYS)
            return
        for key in data:
            if key not in FILE_KEYS:
                self.problems.append(f"{name}:{document.line_of((key,))}: {key}: unknown key")
        sources = self._part(_RawSources, "sources", data, name, document)
        if isinstance(sources, _RawSources):
            self.seeds.update(sources.sources)
        signals = self._part(_RawSignals, "signals", data, name, document)
        if isinstance(signals, _RawSignals):
            self._signals(signals.signals, name, document)
        rules = self._part(_RawRules, "rules", data, name, document)
        for index, raw_rule in enumerate(rules.rules if isinstance(rules, _RawRules) else []):
            line = document.line_of(("rules", index)) or 0
            rule = self._validated(raw_rule, name, line, document, index)
            if rule is not None:
                self.rules.append(rule)

    def _part(
        self, model: type[BaseModel], key: str, data: dict[Any, Any], name: str, document: Document
    ) -> BaseModel | None:
        """Validate one part of a rule file (its sources, signals or rules), or record why it is not valid."""
        if key not in data:
            return model()
        try:
            return model.model_validate({key: data[key]})
        except ValidationError as exc:
            self.problems += _validation_problems(exc, name, document)
            self.unreadable.add(key)
            return None

    def _signals(self, signals: dict[str, str], name: str, document: Document) -> None:
        """Record a file's signal definitions."""
        for signal, text in signals.items():
            where = f"{name}:{document.line_of(('signals', signal))}"
            if signal in self.signals:
                self.problems.append(
                    f"{where}: signal {signal} is already defined at {self.signal_lines[signal]}"
                )
            elif not SIGNAL_PATTERN.match(signal):
                self.problems.append(f"{where}: signal names are lower_snake_case: {signal!r}")
            self.signals[signal] = text.strip()
            self.signal_lines[signal] = where

    def _validated(self, data: Any, name: str, line: int, document: Document, index: int) -> Rule | None:
        """Validate one rule on its own and build it; a rule that fails is named by its id."""
        rule_id = data.get("id") if isinstance(data, dict) else None
        try:
            raw = _RawRule.model_validate(data)
        except ValidationError as exc:
            called = f"rule {rule_id}" if isinstance(rule_id, str) else f"rule {index + 1} of the file"
            self.problems += _validation_problems(exc, name, document, ("rules", index), called)
            then = data.get("then") if isinstance(data, dict) else None
            if isinstance(then, dict) and isinstance(then.get("signal"), str):
                self.broken_declares.add(then["signal"])
            return None
        return self._rule(raw, name, line, document, index)

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
                given = "none" if raw.then.cf is None else f"{raw.then.cf:g}"
                problem(
                    ("then",),
                    f"evidence needs a certainty factor cf between -{MAX_CF} and {MAX_CF}, "
                    f"other than 0 (got {given})",
                )
        elif raw.then.cf is not None:
            problem(("then", "cf"), "only evidence rules have a certainty factor")
        if raw.when.recommended and kind != "caution":
            problem(("when", "recommended"), "only cautions may test the recommendation")
        texts = {"title": raw.title, "rationale": raw.rationale, "source.passage": raw.source.passage}
        caution = {"then.caution": raw.then.caution} if raw.then.caution is not None else {}
        for field, text in {**texts, **caution}.items():
            if not text.strip():  # a blank passage is in every seed: it would cite nothing
                problem(tuple(field.split(".")), f"{field} is blank; write it out")
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
        kb, problems = self.checked()
        if problems:
            raise RuleBaseError(problems)
        return kb

    def checked(self) -> tuple[KnowledgeBase, list[str]]:
        """Run the whole-base checks on the rules that were read; return them and every problem."""
        lines = {s: w for s, w in self.signal_lines.items() if s not in self.broken_declares}
        known_signals = None if "signals" in self.unreadable else self.signals
        known_seeds = None if "sources" in self.unreadable else self.seeds
        problems = self.problems + list(cross_checks(self.rules, known_signals, lines, known_seeds))
        kb = KnowledgeBase(tuple(self.rules), self.signals, self.seeds, self.directory)
        try:
            strata(kb)  # negations must admit a firing order: checked whatever else is wrong
        except RuleBaseError as exc:
            problems += exc.problems
        return kb, problems


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


def _not_outcome(value: str) -> str:
    return f"{value!r} is not an outcome id; use one of {', '.join(OUTCOME_IDS)}"


def _display(path: Path, directory: Path) -> str:
    """Name a rule file as a person would look for it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _validation_problems(
    exc: ValidationError, name: str, document: Document, prefix: Path_ = (), called: str = ""
) -> list[str]:
    """Turn pydantic's findings into ``file:line: [rule ID: ]field: message`` lines."""
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        line = document.line_of((*prefix, *loc))
        where = ".".join(str(p) for p in loc)
        message = re.sub(r" or instance of _Raw\w+", "", error["msg"])  # never the parser's own names
        if error["type"] == "extra_forbidden":
            message = "unknown key"
        elif error["type"] == "missing":
            message = "is required"
        elif error["type"] == "value_error":  # a validator's own words, without pydantic's "Value error, "
            message = str(error["ctx"]["error"])
        elif not loc and called:
            message = "a rule is a mapping of id, title, when, then, rationale and source"
        said = ": ".join(part for part in (called, where, message) if part)
        problems.append(f"{name}:{line}: {said}")
    return problems
