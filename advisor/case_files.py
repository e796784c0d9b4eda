"""Finding case files below a directory: every entry that cannot be read is reported, none skipped."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from advisor.cases import CASE_SUFFIXES


def iter_case_files(path: Path) -> Iterator[Path]:
    """Yield the case files under a path: the file itself, or every case file below a directory."""
    if path.is_dir():
        yield from find_case_files(path)[0]
    else:
        yield path


def find_case_files(directory: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Return the case files below a directory, in order, and every entry that cannot be read, with why.

    Nothing is skipped in silence: a subdirectory that cannot be listed, and a
    ``*.yaml``/``*.json`` entry that is not a regular file (a FIFO, a dangling
    link, a link loop), each come back as a problem. Links to directories are
    followed, each real directory read once: a link back to a directory it is in
    (a loop) is a problem, a second way to a directory already read adds nothing.
    """
    found: list[Path] = []
    problems: list[tuple[Path, str]] = []
    seen: dict[str, str] = {}  # a real directory read -> the folder it was read as

    def unlisted(exc: OSError) -> None:
        where = Path(exc.filename or directory)
        problems.append((where, f"cannot list this directory ({exc.strerror or exc})"))

    for folder, subfolders, names in os.walk(directory, onerror=unlisted, followlinks=True):
        seen.setdefault(os.path.realpath(folder), folder)
        for sub in list(subfolders):
            real = os.path.realpath(os.path.join(folder, sub))
            if real in seen:
                subfolders.remove(sub)
                if (folder + os.sep).startswith(seen[real] + os.sep):  # an ancestor: a loop
                    problems.append((Path(folder, sub), "a link to a directory it is in (a loop): not read"))
            else:
                seen[real] = os.path.join(folder, sub)
        for name in names:
            path = Path(folder, name)
            if path.suffix.lower() not in CASE_SUFFIXES:
                continue
            problem = not_a_case_file(path)
            if problem:
                problems.append((path, problem))
            else:
                found.append(path)
    return sorted(found), sorted(problems)


def not_a_case_file(path: Path) -> str | None:
    """Return why an existing directory entry cannot be read as a case file, or None if it can."""
    from advisor.documents import file_kind, open_problem

    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return open_problem(path, exc)
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        return None
    return f"not a regular file ({file_kind(mode)})"
