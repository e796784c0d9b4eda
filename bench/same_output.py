"""Check that a performance change leaves evaluation output untouched: this checkout against another.

    git worktree add --detach ../advisor-main main && (cd ../advisor-main && python -m uv sync --locked)
    python -m uv run python bench/same_output.py ../advisor-main          # 10,000 random cases + the library
    python -m uv run python bench/same_output.py ../advisor-main 2000     # another number of random cases

Both checkouts run ``advisor evaluate PATH --json`` (each with its own environment,
``.venv``, made by ``uv sync``) on the same random case files (``bench_evaluate``'s, same seed)
and on ``cases/library``, with and without ``--against rules``; the outputs must
be equal byte for byte, and the first case whose entry differs is named. The full
engine run of every case (``Engine.run``: trace, beliefs, evidence, outcome) and
evaluate's verdicts with traces are compared too, by a digest of their ``repr``.
Not a timing: see ``bench_evaluate.py`` for that.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _python(checkout: Path) -> str:
    """Return the Python of a checkout's environment (``uv sync`` makes it)."""
    python = checkout / ".venv" / "bin" / "python"
    if not python.exists():
        raise SystemExit(f"{checkout}: no .venv: run 'python -m uv sync --locked' there first")
    return str(python)


def _output(checkout: Path, *arguments: str) -> bytes:
    """Return the standard output of ``advisor evaluate ... --json`` run in a checkout."""
    command = [_python(checkout), "-m", "advisor", "evaluate", *arguments, "--json"]
    done = subprocess.run(command, cwd=checkout, capture_output=True)
    if done.returncode not in (0, 1) or not done.stdout.startswith(b"{"):
        raise SystemExit(f"{checkout}: exit status {done.returncode}: {done.stderr.decode()[-500:]}")
    return done.stdout


_DIGEST = """
import hashlib, sys
from advisor.engine import get_engine
from advisor.evaluate import collect, load_cases, run_cases
cases, _ = load_cases(collect(sys.argv[1:])[0], jobs=1)
digest = hashlib.sha256()
for case in cases:
    digest.update(repr(get_engine().run(case.facts)).encode())
for verdict in run_cases(cases, traces=True, jobs=2):
    digest.update(repr(verdict).encode())
print(len(cases), digest.hexdigest())
"""


def _digest(checkout: Path, *paths: str) -> str:
    """Return the number of cases and a digest of every engine run and traced verdict, in a checkout."""
    command = [_python(checkout), "-c", _DIGEST, *paths]
    return subprocess.run(command, cwd=checkout, capture_output=True, text=True, check=True).stdout.strip()


def _first_difference(mine: bytes, theirs: bytes) -> str:
    """Name the first result entry (by case) that differs, or the part of the document."""
    ours, other = json.loads(mine), json.loads(theirs)
    for a, b in zip(ours["results"], other["results"], strict=False):
        if a != b:
            return f"case {a.get('case')!r}: {a} != {b}"
    for key in ours.keys() | other.keys():
        if ours.get(key) != other.get(key):
            return f"{key!r} differs"
    return "the same data, written differently"


def main(other: Path, count: int) -> int:
    """Compare the outputs of this checkout and ``other``; return the exit status (0: all equal)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_evaluate import write_cases

    failed = 0
    with tempfile.TemporaryDirectory(prefix="advisor-same-") as tmp:
        write_cases(Path(tmp), count)
        library = str(ROOT / "cases" / "library")
        for label, arguments in (
            (f"{count} random cases", [tmp]),
            ("cases/library", [library]),
            ("cases/library --against rules", [library, "--against", str(ROOT / "rules")]),
        ):
            mine, theirs = _output(ROOT, *arguments), _output(other, *arguments)
            if mine == theirs:
                print(f"{label}: identical ({len(mine)} bytes)")
            else:
                failed = 1
                print(f"{label}: DIFFERENT: {_first_difference(mine, theirs)}")
        mine_digest, their_digest = _digest(ROOT, tmp, library), _digest(other, tmp, library)
        same = mine_digest == their_digest
        failed |= not same
        print(f"engine runs and traced verdicts: {'identical' if same else 'DIFFERENT'} ({mine_digest})")
    return failed


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    sys.exit(main(Path(sys.argv[1]).resolve(), int(sys.argv[2]) if len(sys.argv) > 2 else 10_000))
