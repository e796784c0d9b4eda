"""Evaluating case files in bulk: every case through the engine, scored against its expectation.

The pipeline follows the data: paths (files, directories, globs) → case files →
valid cases (plain data) → one engine run per case → results, a summary, a
confusion matrix, JSON (FACTS.md) and JUnit XML. A bad input never stops the
batch; it becomes an error entry and the other cases are still evaluated.

Large batches are spread over worker processes (joblib's loky backend). Each
worker reads a chunk of files, or runs a chunk of cases with ONE engine (the
process-wide one of ``get_engine``) that it keeps for every later chunk. Work is
handed over and returned as plain data, and results come back in input order.
"""

from __future__ import annotations

import glob
import math
import os
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from advisor.cases import CASE_SUFFIXES, CaseError, find_case_files, load_file, not_a_case_file
from advisor.engine import Engine, Firing, get_engine
from advisor.facts import FactValue
from advisor.outcomes import OUTCOME_IDS, label
from advisor.recommendation import reading_shares, support
from advisor.rulebase import KnowledgeBase, Rule

PARALLEL_FROM = 200  # below this many files or cases, worker start-up costs more than it saves
CHUNKS_PER_JOB = 16  # small chunks keep the workers busy to the end and move the progress bar
MAX_CHUNK = 200

Progress = Callable[[str, int, int], None]  # (stage, done, total)
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class CaseInput:
    """A valid case reduced to plain data: where it came from, what it claims, and its facts."""

    file: str
    id: str
    title: str | None
    parties: tuple[str, ...]
    year: int | None
    expected: str | None
    facts: dict[str, FactValue]
    contested: tuple[tuple[str, tuple[FactValue, ...]], ...] = ()  # facts given as several values


@dataclass(frozen=True)
class Verdict:
    """What one engine run concluded; with the trace when two knowledge bases are compared."""

    outcome: str
    deciding_rule: str
    trace: tuple[Firing, ...] = ()
    readings: tuple[tuple[str, float], ...] = ()  # outcome -> share of readings, for contested facts


@dataclass(frozen=True)
class CaseResult:
    """One evaluated case: the case, and the engine's verdict on it."""

    case: CaseInput
    verdict: Verdict

    @property
    def match(self) -> bool | None:
        """Return whether the recommendation is the expected one; None when nothing is expected."""
        if self.case.expected is None:
            return None
        return self.case.expected == self.verdict.outcome

    @property
    def matched_readings(self) -> float | None:
        """Return the share of readings that give the expected outcome; None when nothing is expected."""
        if self.case.expected is None:
            return None
        if not self.verdict.readings:
            return 1.0 if self.match else 0.0
        return dict(self.verdict.readings).get(self.case.expected, 0.0)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of a FACTS.md ``results`` entry, with extra detail."""
        return {
            "case": self.case.id,
            "file": self.case.file,
            "recommendation": self.verdict.outcome,
            "expected": self.case.expected,
            "match": self.match,
            "matched_readings": self.matched_readings,
            "readings": dict(self.verdict.readings or ((self.verdict.outcome, 1.0),)),
            "label": label(self.verdict.outcome),
            "deciding_rule": self.verdict.deciding_rule,
            "title": self.case.title,
            "parties": list(self.case.parties),
            "year": self.case.year,
        }


@dataclass(frozen=True)
class Change:
    """A case whose recommendation differs under another knowledge base, and why."""

    case: CaseInput
    old: Verdict
    new: Verdict
    difference: tuple[str, ...]  # the rules that made the difference, deciding rules first
    edited: tuple[str, ...]  # those of them whose logic differs between the two knowledge bases

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of a ``changes`` entry."""
        return {
            "case": self.case.id,
            "file": self.case.file,
            "expected": self.case.expected,
            "old": self.old.outcome,
            "old_rule": self.old.deciding_rule,
            "new": self.new.outcome,
            "new_rule": self.new.deciding_rule,
            "difference": list(self.difference),
            "edited": list(self.edited),
        }


@dataclass(frozen=True)
class Summary:
    """The counts of FACTS.md's ``summary``."""

    cases: int
    with_expected: int
    matched: int
    errors: int

    @property
    def accuracy(self) -> float | None:
        """Return the share of expectations met, or None when no case has one."""
        return self.matched / self.with_expected if self.with_expected else None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form, with the accuracy added."""
        accuracy = None if self.accuracy is None else round(self.accuracy, 4)
        return {
            "cases": self.cases,
            "with_expected": self.with_expected,
            "matched": self.matched,
            "errors": self.errors,
            "accuracy": accuracy,
        }


def summarize(results: Sequence[CaseResult], errors: int) -> Summary:
    """Count the cases, the expectations and the matches."""
    return Summary(
        cases=len(results),
        with_expected=sum(r.match is not None for r in results),
        matched=sum(r.match is True for r in results),
        errors=errors,
    )


@dataclass(frozen=True)
class Evaluation:
    """The outcome of a batch: results in input order, errors, and (with ``against``) the changes."""

    results: tuple[CaseResult, ...]
    errors: tuple[CaseError, ...]
    rules: Path
    against: tuple[CaseResult, ...] | None = None  # the same cases under the other knowledge base
    changes: tuple[Change, ...] | None = None
    other_rules: Path | None = None
    seconds: float = 0.0

    @property
    def summary(self) -> Summary:
        """Return the counts of the batch."""
        return summarize(self.results, len(self.errors))

    @property
    def status(self) -> int:
        """Return the exit status: 2 for invalid input, else 1 for a failed expectation, else 0."""
        if self.errors:
            return 2
        if self.changes is None and any(r.match is False for r in self.results):
            return 1
        return 0

    def confusion(self) -> dict[str, dict[str, int]]:
        """Return how often each expected outcome (rows) got each recommendation (columns)."""
        matrix = {e: dict.fromkeys(OUTCOME_IDS, 0) for e in OUTCOME_IDS}
        for r in self.results:
            if r.case.expected is not None:
                matrix[r.case.expected][r.verdict.outcome] += 1
        return matrix

    def recall(self) -> dict[str, float | None]:
        """Return, for each outcome, the share of the cases expecting it that got it."""
        recall: dict[str, float | None] = {}
        for outcome, row in self.confusion().items():
            total = sum(row.values())
            recall[outcome] = row[outcome] / total if total else None
        return recall

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON document of FACTS.md (``advisor evaluate --json``)."""
        document: dict[str, Any] = {
            "results": [r.to_dict() for r in self.results],
            "errors": [e.to_dict() for e in self.errors],
            "summary": self.summary.to_dict(),
        }
        if self.changes is not None:
            document["changes"] = [c.to_dict() for c in self.changes]
        return document


# --- the library's entry point -----------------------------------------------------------


def evaluate(
    paths: Iterable[str | Path],
    *,
    rules: Path | None = None,
    against: Path | None = None,
    jobs: int | None = None,
    parallel_from: int = PARALLEL_FROM,
    progress: Progress | None = None,
) -> Evaluation:
    """Evaluate every case under the paths; with ``against``, also under a second knowledge base.

    Raises RuleBaseError if a knowledge base is invalid (before any file is read).
    """
    started = time.perf_counter()
    options: dict[str, Any] = {
        "jobs": min(jobs or default_jobs(), default_jobs()),  # more workers than CPUs only cost memory
        "parallel_from": parallel_from,
        "progress": progress,
    }
    engine = get_engine(_resolved(rules))
    other = get_engine(_resolved(against)) if against is not None else None
    files, errors = collect(paths)
    cases, load_errors = load_cases(files, **options)
    errors += load_errors
    verdicts = run_cases(cases, rules, traces=other is not None, **options)
    results = tuple(CaseResult(c, v) for c, v in zip(cases, verdicts, strict=True))
    if other is None:
        return Evaluation(results, tuple(errors), engine.kb.directory, seconds=time.perf_counter() - started)
    new = run_cases(cases, against, stage="evaluating (other rules)", traces=True, **options)
    return Evaluation(
        results,
        tuple(errors),
        engine.kb.directory,
        against=tuple(CaseResult(c, v) for c, v in zip(cases, new, strict=True)),
        changes=tuple(compare(cases, verdicts, new, engine.kb, other.kb)),
        other_rules=other.kb.directory,
        seconds=time.perf_counter() - started,
    )


def default_jobs() -> int:
    """Return the number of CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def _resolved(directory: Path | None) -> Path | None:
    """Return a rules directory as an absolute path, so that workers find it whatever their cwd."""
    return directory.resolve() if directory is not None else None


# --- inputs: files, directories and globs ------------------------------------------------


def collect(paths: Iterable[str | Path]) -> tuple[list[str], list[CaseError]]:
    """Expand files, directories (recursively) and globs into case files, each once, in order.

    Every argument or entry that cannot be read becomes an error, never a silent skip.
    """
    files: dict[str, str] = {}  # real path -> the name shown
    errors: list[CaseError] = []
    for given in map(str, paths):
        try:
            found, problems = _expand(given)
        except OSError as exc:
            found, problems = [], [(given, f"cannot read ({exc.strerror or exc})")]
        errors += [CaseError(name, problem) for name, problem in problems]
        for name in found:
            files.setdefault(os.path.realpath(name), name)
    return list(files.values()), errors


Problems = list[tuple[str, str]]  # (the path shown, what is wrong with it)


def _expand(given: str) -> tuple[list[str], Problems]:
    """Return the case files one argument names, and what is wrong with it or with entries below it."""
    if not given:
        return [], [("''", "an empty path names no file or directory")]
    path = Path(given)
    if path.is_dir():
        found, problems = _below(path)
        if not found and not problems:
            problems = [(given, f"no case files ({', '.join(CASE_SUFFIXES)}) in this directory")]
        return found, problems
    if os.path.lexists(path):
        problem = not_a_case_file(path)
        return ([given], []) if problem is None else ([], [(given, problem)])
    if any(c in given for c in "*?["):
        found, problems = _glob(given)
        if not found and not problems:
            problems = [(given, "no case files match this pattern")]
        return found, problems
    return [], [(given, "no such file or directory")]


def _below(directory: Path) -> tuple[list[str], Problems]:
    """Return the case files below a directory and the entries there that cannot be read."""
    found, problems = find_case_files(directory)
    return [str(p) for p in found], [(str(p), why) for p, why in problems]


def _glob(pattern: str) -> tuple[list[str], Problems]:
    """Return the case files a glob matches, directories expanded, and the matches that cannot be read."""
    found: list[str] = []
    problems: Problems = []
    for match in sorted(glob.glob(pattern, recursive=True)):
        if os.path.isdir(match):
            more, trouble = _below(Path(match))
            found, problems = found + more, problems + trouble
        elif match.lower().endswith(CASE_SUFFIXES):
            problem = not_a_case_file(Path(match))
            if problem is None:
                found.append(match)
            else:
                problems.append((match, problem))
    return found, problems


# --- reading and validating --------------------------------------------------------------


def load_cases(
    files: Sequence[str],
    *,
    jobs: int = 1,
    parallel_from: int = PARALLEL_FROM,
    progress: Progress | None = None,
) -> tuple[list[CaseInput], list[CaseError]]:
    """Read and validate case files; return the valid cases and the errors, both in file order."""
    per_file = _spread(_load_chunk, files, jobs, parallel_from, progress, "reading")
    cases: list[CaseInput] = []
    errors: list[CaseError] = []
    first: dict[str, str] = {}  # case id -> the file that defined it first
    for found, problems in per_file:
        errors += problems
        for case in found:
            if case.id in first:
                errors.append(_duplicate(case, first[case.id]))
            first.setdefault(case.id, case.file)
            cases.append(case)
    return cases, errors


def _duplicate(case: CaseInput, first: str) -> CaseError:
    """Explain a case id that an earlier case already took."""
    where = "earlier in this file" if first == case.file else f"in {first}"
    return CaseError(
        case.file,
        f"duplicate case id {case.id!r}: already defined {where} (both cases are evaluated; "
        "give each case its own id)",
        case.id,
    )


def _load_chunk(files: Sequence[str]) -> list[tuple[list[CaseInput], list[CaseError]]]:
    """Read a chunk of files (in a worker or in-process) into plain data."""
    return [_load_one(name) for name in files]


def _load_one(name: str) -> tuple[list[CaseInput], list[CaseError]]:
    """Read one case file into plain data."""
    loaded, errors = load_file(Path(name), display=name)
    cases = [
        CaseInput(
            file=item.file,
            id=item.case.name,
            title=item.case.title,
            parties=tuple(item.case.parties),
            year=item.case.year,
            expected=item.case.expected,
            facts=item.case.facts.model_dump(),
            contested=tuple(item.case.contested.items()),
        )
        for item in loaded
    ]
    return cases, errors


# --- running the engine ------------------------------------------------------------------


def run_cases(
    cases: Sequence[CaseInput],
    rules: Path | None = None,
    *,
    jobs: int = 1,
    parallel_from: int = PARALLEL_FROM,
    progress: Progress | None = None,
    stage: str = "evaluating",
    traces: bool = False,
) -> list[Verdict]:
    """Run every case through the knowledge base in ``rules``; return the verdicts in case order."""
    work = [(_resolved(rules), traces, c.facts, c.contested) for c in cases]
    return _spread(_run_chunk, work, jobs, parallel_from, progress, stage)


Contested = tuple[tuple[str, tuple[FactValue, ...]], ...]
Work = tuple[Path | None, bool, dict[str, FactValue], Contested]  # rules, keep the trace?, facts, contested


def _run_chunk(work: Sequence[Work]) -> list[Verdict]:
    """Run a chunk of cases with this process's engine, computing each distinct set of facts once."""
    seen: dict[tuple[Any, ...], Verdict] = {}
    verdicts = []
    for rules, traces, facts, contested in work:
        key = (rules, traces, contested, *facts.items())
        if key not in seen:
            seen[key] = verdict(get_engine(rules), facts, trace=traces, contested=contested)
        verdicts.append(seen[key])
    return verdicts


def verdict(
    engine: Engine, facts: dict[str, FactValue], *, trace: bool = False, contested: Contested = ()
) -> Verdict:
    """Run the engine on one case's facts (over every reading of contested ones) and keep what
    evaluation needs."""
    if not contested:
        run = engine.run(facts)
        return Verdict(run.outcome, run.deciding_rule, run.firings if trace else ())
    shares, _, reading = reading_shares(engine.kb, facts, dict(contested))
    run = engine.run(reading)
    return Verdict(run.outcome, run.deciding_rule, run.firings if trace else (), tuple(shares.items()))


def _spread(
    function: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    jobs: int,
    parallel_from: int,
    progress: Progress | None,
    stage: str,
) -> list[R]:
    """Apply a chunk function to all items, across worker processes for big batches, in order."""
    size = _chunk_size(len(items), jobs if len(items) >= parallel_from and jobs > 1 else 1)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    if progress:
        progress(stage, 0, len(items))
    parallel = len(chunks) > 1 and jobs > 1 and len(items) >= parallel_from
    if parallel:
        from joblib import Parallel, delayed

        outputs: Iterable[list[R]] = Parallel(
            n_jobs=min(jobs, len(chunks)), backend="loky", return_as="generator"
        )(delayed(function)(chunk) for chunk in chunks)
    else:
        outputs = (function(chunk) for chunk in chunks)
    done: list[R] = []
    try:
        for output in outputs:
            done += output
            if progress:
                progress(stage, len(done), len(items))
    except BaseException:  # an interruption, a signal, a failed worker: no worker may outlive the run
        if parallel:
            stop_workers()
        raise
    return done


def stop_workers() -> None:
    """End the worker processes (joblib's reusable loky executor), if any were started."""
    from joblib.externals.loky import reusable_executor

    executor = getattr(reusable_executor, "_executor", None)
    if executor is not None:
        executor.shutdown(wait=True, kill_workers=True)


def _chunk_size(count: int, jobs: int) -> int:
    """Return a chunk size that balances the workers and still moves the progress bar."""
    if jobs == 1:
        return max(1, min(50, count))
    return max(1, min(MAX_CHUNK, math.ceil(count / (jobs * CHUNKS_PER_JOB))))


# --- comparing two knowledge bases -------------------------------------------------------


def compare(
    cases: Sequence[CaseInput],
    old: Sequence[Verdict],
    new: Sequence[Verdict],
    old_kb: KnowledgeBase,
    new_kb: KnowledgeBase,
) -> list[Change]:
    """Return the cases whose recommendation changes, with the rules that made the difference."""
    edited = edited_rules(old_kb, new_kb)
    changes = []
    for case, before, after in zip(cases, old, new, strict=True):
        if before.outcome == after.outcome:
            continue
        rules = difference(before, after, old_kb, new_kb)
        changes.append(Change(case, before, after, rules, tuple(r for r in rules if r in edited)))
    return changes


def difference(old: Verdict, new: Verdict, old_kb: KnowledgeBase, new_kb: KnowledgeBase) -> tuple[str, ...]:
    """Return the rules that made the difference between two runs (with traces) of the same case.

    They are the deciding rules (if they differ); the rules on either winner's
    support chain that fired in that run only; and, when such a chain rule did
    not fire in the other run because a signal it must not see was declared
    there, the rules of the other run only that declared that signal, with
    their own support.
    """
    found = [old.deciding_rule, new.deciding_rule] if old.deciding_rule != new.deciding_rule else []
    for mine, theirs, their_kb in ((old, new, new_kb), (new, old, old_kb)):
        fired_there = {f.rule for f in theirs.trace}
        only_theirs = fired_there - {f.rule for f in mine.trace}
        for firing in support(mine.trace, mine.deciding_rule):
            if firing.rule in fired_there:
                continue
            found.append(firing.rule)
            blocked = their_kb.by_id.get(firing.rule)
            for signal in blocked.without if blocked else ():
                declarer = next((f for f in theirs.trace if signal in f.declared), None)
                if declarer is not None:
                    found += [f.rule for f in support(theirs.trace, declarer.rule) if f.rule in only_theirs]
    return tuple(dict.fromkeys(found))


def edited_rules(old_kb: KnowledgeBase, new_kb: KnowledgeBase) -> set[str]:
    """Return the ids of rules added, removed or changed in logic between two knowledge bases."""
    old = {r.id: _logic(r) for r in old_kb.rules}
    new = {r.id: _logic(r) for r in new_kb.rules}
    return {rule_id for rule_id in old.keys() | new.keys() if old.get(rule_id) != new.get(rule_id)}


def _logic(rule: Rule) -> tuple[Any, ...]:
    """Return what decides when a rule fires and what it concludes (not its wording or place)."""
    conditions = tuple((c.fact, c.values) for c in rule.facts)
    return (
        rule.kind,
        conditions,
        rule.signals,
        rule.without,
        rule.recommended,
        rule.declares,
        rule.outcomes,
        rule.cf,
    )


# --- JUnit XML -----------------------------------------------------------------------------

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def junit_xml(evaluation: Evaluation) -> str:
    """Return JUnit XML: one testcase per case (failed on a mismatch) and one erroring per invalid input."""
    summary = evaluation.summary
    counts = {
        "tests": str(summary.cases + summary.errors),
        "failures": str(summary.with_expected - summary.matched),
        "errors": str(summary.errors),
        "skipped": str(summary.cases - summary.with_expected),
        "time": f"{evaluation.seconds:.3f}",
    }
    root = ET.Element("testsuites", {"name": "advisor evaluate", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "advisor evaluate", **counts})
    for result in evaluation.results:
        _junit_case(suite, result)
    for error in evaluation.errors:
        case = ET.SubElement(suite, "testcase", _clean_attrs(error.file, error.case or Path(error.file).name))
        ET.SubElement(
            case, "error", {"type": "invalid input", "message": _xml_text(error.message)}
        ).text = _xml_text(str(error))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _junit_case(suite: ET.Element, result: CaseResult) -> None:
    """Add one case's testcase: passed, failed (with what was expected) or skipped (nothing expected)."""
    case, verdict = result.case, result.verdict
    element = ET.SubElement(suite, "testcase", _clean_attrs(case.file, case.id))
    got = f"recommended {verdict.outcome} ({verdict.deciding_rule})"
    if result.match is False:
        message = f"expected {case.expected}, {got}"
        ET.SubElement(element, "failure", {"type": "mismatch", "message": message}).text = message
    elif result.match is None:
        ET.SubElement(element, "skipped", {"message": f"no expected outcome; {got}"})
    else:
        ET.SubElement(element, "system-out").text = got


def _clean_attrs(file: str, name: str) -> dict[str, str]:
    """Return a testcase's attributes: classname and file are the case file, name the case."""
    return {"classname": _xml_text(file), "name": _xml_text(name), "file": _xml_text(file)}


def _xml_text(text: str) -> str:
    """Return text with the characters XML 1.0 cannot carry replaced."""
    return _NOT_XML.sub("\ufffd", text)
