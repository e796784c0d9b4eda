"""The case library: real arrangements coded blind, shipped with the advisor and read once per process.

``cases/library`` in the source tree, ``advisor/_cases`` when installed. Precedents
are drawn from it (``advisor.precedents``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from advisor.case_files import iter_case_files
from advisor.cases import Case, load_file
from advisor.facts import FactValue


class LibraryError(ValueError):
    """The case library cannot be read; the message names the file."""


def default_library_directory() -> Path:
    """Return the case library shipped with the advisor (installed copy or source tree)."""
    installed = Path(str(resources.files("advisor"))) / "_cases"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "cases" / "library"


def load_library(directory: Path | None = None) -> tuple[Case, ...]:
    """Read every case of a library directory (the bundled one by default), once per process, sorted by id.

    Raise LibraryError, naming the file, when the directory is missing or a case is invalid.
    """
    return tuple(case for case, _ in entries(directory))


Entry = tuple[Case, dict[str, FactValue]]


def entries(directory: Path | None) -> tuple[Entry, ...]:
    """Return each library case with its facts as a plain mapping (read once per process)."""
    return _load_library((directory or default_library_directory()).resolve())


@cache
def _load_library(directory: Path) -> tuple[Entry, ...]:
    if not directory.is_dir():
        raise LibraryError(f"{directory}: no such case library")
    cases: list[Case] = []
    for path in iter_case_files(directory):
        loaded, errors = load_file(path)
        if errors:
            raise LibraryError(f"case library: {errors[0]}")
        cases += [item.case for item in loaded]
    return tuple((case, dict(case.facts)) for case in sorted(cases, key=lambda case: case.name))
