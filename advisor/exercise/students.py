"""The students' copy of a pack: briefs, parties and years, and no answers.

It keeps nothing a student could read the answers from: no reference coding, no
outcome, no debrief, no source case, and no sources (the documents of an arrangement
name what it became: a "Mutual Defense Treaty", a "Coalition for ...").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advisor.exercise.dump import dump_yaml
from advisor.exercise.model import Pack
from advisor.exercise.pack import PACK_FILE
from advisor.output import write_atomically


def export_for_students(pack: Pack, directory: Path) -> list[Path]:
    """Write a students' copy of a pack: briefs only; return the files written."""
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
        }
        path = directory / f"{scenario.id}.yaml"
        _write_yaml(path, data, f"Start it with: advisor exercise start {scenario.id} --student NAME")
        written.append(path)
    return written


def _write_yaml(path: Path, data: dict[str, Any], comment: str) -> None:
    write_atomically(path, f"# {comment}\n{dump_yaml(data)}")
