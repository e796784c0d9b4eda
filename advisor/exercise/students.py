"""The students' copy of a pack: briefs, parties and years, and no answers.

It keeps nothing a student could read the answers from: no reference coding, no
outcome, no debrief, no discussion questions, no source case, and no sources (the
documents of an arrangement name what it became: a "Mutual Defense Treaty", a
"Coalition for ..."). The copy is written into a temporary folder beside the one
asked for and renamed into place when complete, so that an error or Ctrl-C never
leaves half a pack that would load, and be handed out, with scenarios missing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from advisor.exercise.dump import dump_yaml
from advisor.exercise.model import Pack
from advisor.exercise.pack import PACK_FILE
from advisor.output import write_atomically


def export_for_students(pack: Pack, directory: Path) -> list[Path]:
    """Write a students' copy of a pack into ``directory`` (new, or an empty folder), all at once;
    return the files written. Raise OSError if it cannot be made (nothing is left behind then)."""
    if directory.is_symlink():  # a link to an empty folder: fill the folder, keep the link
        directory = Path(os.path.realpath(directory))
    directory.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}.", suffix=".tmp"))
    try:
        names = _write_copy(pack, building)
        _into_place(building, directory)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return [directory / name for name in names]


def _write_copy(pack: Pack, folder: Path) -> list[str]:
    """Write the copy's files into a folder; return their names."""
    head: dict[str, Any] = {"id": pack.id, "title": pack.title, "version": pack.version}
    if pack.description:
        head["description"] = pack.description
    head["for_students"] = True
    head["rubric"] = pack.rubric.model_dump()
    _write_yaml(folder / PACK_FILE, head, "A students' copy of a scenario pack: briefs only, no answers.")
    names = [PACK_FILE]
    for scenario in pack.scenarios.values():
        data = {
            "id": scenario.id,
            "title": scenario.title,
            "parties": list(scenario.parties),
            "year": scenario.year,
            "brief": scenario.brief + "\n",
        }
        name = f"{scenario.id}.yaml"
        _write_yaml(
            folder / name, data, f"Start it with: advisor exercise start {scenario.id} --student NAME"
        )
        names.append(name)
    return names


def _into_place(built: Path, directory: Path) -> None:
    """Rename a complete copy to the folder asked for (an empty folder there is replaced)."""
    os.chmod(built, 0o777 & ~_umask())  # mkdtemp makes it private; the copy is meant to be shared
    try:
        os.replace(built, directory)  # POSIX replaces an empty folder in one step
    except OSError:
        if not directory.is_dir() or any(directory.iterdir()):
            raise
        directory.rmdir()  # where an empty folder cannot be replaced in one step (Windows)
        os.replace(built, directory)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_yaml(path: Path, data: dict[str, Any], comment: str) -> None:
    write_atomically(path, f"# {comment}\n{dump_yaml(data)}")
