"""Scenario packs: a folder of scenarios and a ``pack.yaml``, read once into checked, typed objects.

A scenario is a brief for students (no coded facts, no outcome), the reference
coding with a justification for each fact, what actually happened, a debrief and
two or three discussion questions. It is written in YAML, or in Markdown whose
YAML front matter holds everything but the brief (the Markdown body). Loading
checks every file the way case files are checked: each problem names the file,
the line and the field, and every problem in the pack is reported at once.

A students' copy of a pack (``export_for_students``) keeps the briefs, parties,
years and sources, and nothing a student could read the answers from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from advisor.documents import Document, DocumentError, parse_document, read_document
from advisor.facts import FACT_NAMES, FactValue, scales
from advisor.outcomes import OUTCOME_IDS, OutcomeId

PACK_FILE = "pack.yaml"
SCENARIO_SUFFIXES = (".yaml", ".yml", ".md")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PARTS = ("facts_that_matter", "other_facts", "prediction_history", "prediction_reference", "rationale")


class PackError(ValueError):
    """A pack that cannot be used; ``problems`` lists every finding as ``file: line N: field: what``."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Rubric(_Strict):
    """How a submission is scored: the weight of each part (any scale; the score is out of 100)."""

    facts_that_matter: float = Field(
        default=50,
        ge=0,
        description="Agreeing with the reference on the facts whose value can change its advice.",
    )
    other_facts: float = Field(
        default=15, ge=0, description="Agreeing with the reference on the other facts."
    )
    prediction_history: float = Field(
        default=15, ge=0, description="Predicting the outcome that actually happened."
    )
    prediction_reference: float = Field(
        default=10, ge=0, description="Predicting the advisor's answer for the reference coding."
    )
    rationale: float = Field(
        default=10, ge=0, description="Giving a rationale of at least rationale_min_words words."
    )
    rationale_min_words: int = Field(
        default=8, ge=0, description="The shortest rationale that earns its points."
    )

    @model_validator(mode="after")
    def _some_weight(self) -> Rubric:
        if self.total <= 0:
            raise ValueError("at least one weight must be above 0")
        return self

    @property
    def total(self) -> float:
        """Return the sum of the weights."""
        return sum(self.weight(p) for p in PARTS)

    def weight(self, part: str) -> float:
        """Return the weight of one part of the score."""
        return float(getattr(self, part))

    def points(self, part: str) -> float:
        """Return how many of the 100 points a part is worth."""
        return 100 * self.weight(part) / self.total


class _PackFile(_Strict):
    id: str
    title: str
    version: str | int
    description: str | None = None
    for_students: bool = False
    rubric: Rubric = Field(default_factory=Rubric)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError("an id is lower-case letters, digits and hyphens (us-japan-1960)")
        return value


class _ReferenceFact(_Strict):
    value: str | bool
    why: str = Field(min_length=1)


class _ScenarioFile(_Strict):
    id: str | None = None
    title: str = Field(min_length=1)
    parties: list[str] = Field(min_length=2)
    year: int
    case: str | None = None
    brief: str = Field(min_length=1)
    sources: list[str] = Field(min_length=1)
    reference: dict[str, _ReferenceFact] | None = None
    actual: OutcomeId | None = None
    debrief: str | None = None
    questions: list[str] = []

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str | None) -> str | None:
        if value is not None and not ID_PATTERN.match(value):
            raise ValueError("an id is lower-case letters, digits and hyphens (us-japan-1960)")
        return value


@dataclass(frozen=True)
class Scenario:
    """One exercise: what students read, and (in an instructor's pack) the reference and the debrief."""

    id: str
    title: str
    parties: tuple[str, ...]
    year: int
    brief: str
    sources: tuple[str, ...]
    file: str
    questions: tuple[str, ...] = ()
    reference: dict[str, FactValue] = field(default_factory=dict)  # empty in a students' copy
    why: dict[str, str] = field(default_factory=dict)  # the justification of each reference value
    actual: str | None = None
    debrief: str | None = None
    case: str | None = None  # the case-library file the scenario was drawn from

    def listing(self) -> dict[str, Any]:
        """Return what ``exercise list --json`` shows: nothing a student could read the answer from."""
        return {"id": self.id, "title": self.title, "year": self.year, "parties": list(self.parties)}


@dataclass(frozen=True)
class Pack:
    """A scenario pack: its identity and version, its rubric, and its scenarios by id."""

    id: str
    title: str
    version: str
    rubric: Rubric
    scenarios: dict[str, Scenario]
    directory: Path
    for_students: bool = False
    description: str | None = None

    def scenario(self, scenario_id: str) -> Scenario:
        """Return a scenario by id, or raise KeyError."""
        return self.scenarios[scenario_id]


# --- loading ------------------------------------------------------------------------------


def default_pack_directory() -> Path:
    """Return the course pack shipped with the advisor (installed copy or source tree)."""
    installed = Path(str(resources.files("advisor"))) / "_exercises" / "course"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent.parent / "exercises" / "course"


def load_pack(directory: Path | None = None) -> Pack:
    """Read and check a pack folder (the shipped course pack by default); raise PackError."""
    return _load((directory or default_pack_directory()).resolve())


@cache
def _load(directory: Path) -> Pack:
    if not directory.is_dir():
        raise PackError([f"{directory}: not a folder"])
    problems: list[str] = []
    head = _read_pack_file(directory / PACK_FILE, problems)
    scenarios: dict[str, Scenario] = {}
    files = sorted(p for p in directory.iterdir() if p.suffix in SCENARIO_SUFFIXES and p.name != PACK_FILE)
    for path in files:
        scenario = read_scenario(path, problems, for_students=bool(head and head.for_students))
        if scenario is None:
            continue
        if scenario.id in scenarios:
            problems.append(f"{path}: id: {scenario.id!r} is also the id of {scenarios[scenario.id].file}")
            continue
        scenarios[scenario.id] = scenario
    if not files:
        problems.append(f"{directory}: holds no scenario files (*.yaml, *.md)")
    if problems or head is None:
        raise PackError(problems)
    ordered = dict(sorted(scenarios.items(), key=lambda item: (item[1].year, item[0])))
    return Pack(
        id=head.id,
        title=head.title,
        version=str(head.version),
        rubric=head.rubric,
        scenarios=ordered,
        directory=directory,
        for_students=head.for_students,
        description=head.description,
    )


def _read_pack_file(path: Path, problems: list[str]) -> _PackFile | None:
    """Read ``pack.yaml``, adding its problems to the list."""
    if not path.is_file():
        problems.append(f"{path}: missing; a pack needs a pack.yaml with id, title and version")
        return None
    try:
        document = read_document(path)
        return _PackFile.model_validate(document.data)
    except DocumentError as exc:
        problems.append(f"{path}: {exc}")
    except ValidationError as exc:
        problems += [f"{path}: {m}" for m in explain(exc, document)]
    return None


def read_scenario(path: Path, problems: list[str], *, for_students: bool = False) -> Scenario | None:
    """Read and check one scenario file, adding its problems to the list; return it if it is valid."""
    found: list[str] = []
    try:
        document = _scenario_document(path)
    except DocumentError as exc:
        problems.append(f"{path}: {exc}")
        return None
    if not isinstance(document.data, dict):
        problems.append(f"{path}: a scenario is a mapping of fields (id, title, parties, year, brief, ...)")
        return None
    try:
        raw = _ScenarioFile.model_validate(document.data)
    except ValidationError as exc:
        problems += [f"{path}: {m}" for m in explain(exc, document)]
        return None

    def problem(where: tuple[str | int, ...], message: str) -> None:
        line = document.line_of(where)
        found.append(
            f"{path}: " + (f"line {line}: " if line else "") + ".".join(map(str, where)) + f": {message}"
        )

    reference: dict[str, FactValue] = {}
    if for_students:
        for key in ("reference", "actual", "debrief", "case"):
            if getattr(raw, key) is not None:
                problem((key,), "a students' copy of a pack must not hold it")
    else:
        for key in ("reference", "actual", "debrief"):
            if getattr(raw, key) is None:
                problem((key,), "missing; an instructor's pack needs it in every scenario")
        if not 2 <= len(raw.questions) <= 3:
            problem(("questions",), f"{len(raw.questions)} given; write two or three discussion questions")
        reference = _check_reference(raw.reference or {}, problem)
    for name in FACT_NAMES:
        if re.search(rf"\b{name}\b", raw.brief):
            problem(("brief",), f"names the fact {name}; a brief describes the situation, never its coding")
    problems += found
    if found:
        return None
    return Scenario(
        id=raw.id or path.stem,
        title=raw.title,
        parties=tuple(raw.parties),
        year=raw.year,
        brief=raw.brief.strip(),
        sources=tuple(raw.sources),
        file=str(path),
        questions=tuple(raw.questions),
        reference={name: reference[name] for name in FACT_NAMES if name in reference},
        why={name: raw.reference[name].why.strip() for name in FACT_NAMES}
        if raw.reference and reference
        else {},
        actual=raw.actual,
        debrief=raw.debrief.strip() if raw.debrief else None,
        case=raw.case,
    )


def _check_reference(reference: dict[str, _ReferenceFact], problem: Any) -> dict[str, FactValue]:
    """Check a reference coding names every fact once, each with a value on its scale."""
    table = scales()
    checked: dict[str, FactValue] = {}
    for name, entry in reference.items():
        if name not in table:
            problem(("reference", name), f"unknown fact; known facts are {', '.join(FACT_NAMES)}")
        elif entry.value not in table[name].values or type(entry.value) is not type(table[name].values[0]):
            problem(("reference", name, "value"), f"{entry.value!r} is not one of {table[name].allowed()}")
        else:
            checked[name] = entry.value
    missing = [n for n in FACT_NAMES if n not in reference]
    if missing:
        problem(("reference",), f"missing {', '.join(missing)}; the reference codes every fact")
    return checked


def _scenario_document(path: Path) -> Document:
    """Read a scenario file: YAML, or Markdown whose front matter is YAML and whose body is the brief."""
    if path.suffix != ".md":
        return read_document(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(f"cannot read the file ({exc})") from None
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise DocumentError("a Markdown scenario starts with '---' and its YAML front matter", 1)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise DocumentError("the front matter has no closing '---'", 1)
    try:
        front = parse_document("".join(lines[1:end]))
    except DocumentError as exc:  # its lines count from the front matter; the file's from one above
        message = re.sub(r"^line \d+(, column \d+)?: ", "", str(exc))
        raise DocumentError(message, exc.line + 1 if exc.line else None) from None
    if not isinstance(front.data, dict):
        raise DocumentError("the front matter must be a mapping of fields", 2)
    if "brief" in front.data:
        raise DocumentError("brief: in a Markdown scenario the brief is the text after the front matter", 2)
    front.data["brief"] = "".join(lines[end + 1 :])
    lines_of = {key: line + 1 for key, line in front.lines.items()}
    lines_of[("brief",)] = end + 2
    return Document(front.data, lines_of)


def explain(exc: ValidationError, document: Document) -> list[str]:
    """Turn pydantic's findings into ``line N: field: what is wrong`` lines."""
    messages = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        line = document.line_of(loc)
        where = (f"line {line}: " if line else "") + (".".join(str(p) for p in loc) or "(file)")
        messages.append(f"{where}: {_reason(error, loc)}")
    return messages


def _reason(error: Any, loc: tuple[Any, ...]) -> str:
    kind = error["type"]
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        return "unknown key"
    if loc and loc[0] == "actual":
        return f"{error.get('input')!r} is not an outcome id; use one of {', '.join(OUTCOME_IDS)}"
    return str(error["msg"]).lower()


# --- the students' copy ---------------------------------------------------------------------


def export_for_students(pack: Pack, directory: Path) -> list[Path]:
    """Write a students' copy of a pack: briefs and sources only; return the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    head: dict[str, Any] = {"id": pack.id, "title": pack.title, "version": pack.version}
    if pack.description:
        head["description"] = pack.description
    head["for_students"] = True
    head["rubric"] = pack.rubric.model_dump()
    written = [directory / PACK_FILE]
    _write_yaml(written[0], head, "A students' copy of a scenario pack: briefs only, no answers.")
    for scenario in pack.scenarios.values():
        data = {
            "id": scenario.id,
            "title": scenario.title,
            "parties": list(scenario.parties),
            "year": scenario.year,
            "brief": scenario.brief + "\n",
            "sources": list(scenario.sources),
        }
        path = directory / f"{scenario.id}.yaml"
        _write_yaml(path, data, f"Start it with: advisor exercise start {scenario.id} --student NAME")
        written.append(path)
    return written


def _write_yaml(path: Path, data: dict[str, Any], comment: str) -> None:
    from advisor.ask.session import write_atomically

    write_atomically(path, f"# {comment}\n{dump_yaml(data)}")


class _Dumper(yaml.SafeDumper):
    """A safe dumper that writes text of several lines as a literal block, as a person would."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump_yaml(data: Any) -> str:
    """Return data as readable YAML: keys in order, long text as literal blocks."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
