"""The inputs of a batch: files, directories (recursively) and globs expanded into case files."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path

from advisor.case_files import find_case_files, not_a_case_file
from advisor.cases import CASE_SUFFIXES, CaseError


def collect(paths: Iterable[str | Path]) -> tuple[list[str], list[CaseError]]:
    """Expand files, directories (recursively) and globs into case files, each once, in order.

    Every argument or entry that cannot be read becomes an error, never a silent skip.
    """
    files: dict[str, str] = {}  # real path -> the name shown
    folders: dict[str, str] = {}  # a folder as named -> its real path
    errors: list[CaseError] = []
    for given in map(str, paths):
        try:
            found, problems = _expand(given)
        except OSError as exc:
            found, problems = [], [(given, f"cannot read ({exc.strerror or exc})")]
        errors += [CaseError(name, problem) for name, problem in problems]
        for name in found:
            files.setdefault(_realpath(name, folders), name)
    return list(files.values()), errors


def _realpath(name: str, folders: dict[str, str]) -> str:
    """Return ``os.path.realpath(name)``, resolving each folder once for all the files in it."""
    folder, entry = os.path.split(name)
    if entry in ("", ".", "..") or os.path.islink(name):
        return os.path.realpath(name)
    if folder not in folders:
        folders[folder] = os.path.realpath(folder)
    return os.path.join(folders[folder], entry)


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
