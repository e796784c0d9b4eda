"""Grading figures: a synthetic class of 500 submissions over the course pack, end to end and in the library.

python -m uv run python bench/bench_grade.py          # 500 submissions
python -m uv run python bench/bench_grade.py 2000     # another size

The target is 5 s for 500 submissions on 2 cores, end to end (``advisor exercise
grade DIR --csv FILE``, including start-up and writing the CSV).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = 500
SEED = 2026
TARGET = 5.0  # seconds for 500 submissions, end to end


def main(argv: list[str] | None = None) -> None:
    """Write a synthetic class, grade it with the command line and with the library; print the figures."""
    args = argv or []
    size = int(args[0]) if args else SIZE
    from advisor.exercise.grade import grade
    from advisor.exercise.pack import load_pack
    from advisor.exercise.synthetic import synthetic_class, write_class

    pack = load_pack()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "class"
        write_class(folder, synthetic_class(pack, size, seed=SEED))
        started = time.perf_counter()
        cpu_before = _children_cpu()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "advisor",
                "exercise",
                "grade",
                str(folder),
                "--csv",
                f"{temporary}/g.csv",
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        end_to_end = time.perf_counter() - started
        cpu = _children_cpu() - cpu_before
        assert done.returncode == 0, done.stderr
        rows = len(Path(f"{temporary}/g.csv").read_text().splitlines()) - 1
        started = time.perf_counter()
        grades = grade([folder], pack)
        library = time.perf_counter() - started
    verdict = "within" if end_to_end <= TARGET * size / SIZE else "OVER"
    print(f"{size} submissions over {len(pack.scenarios)} scenarios, {rows} CSV rows")
    print(
        f"  end to end (advisor exercise grade --csv): {end_to_end:.2f} s ({verdict} the {TARGET:g} s target)"
    )
    print(f"  CPU time of that command and its workers:  {cpu:.2f} s")
    print(f"  library (grade(), warm):                   {library:.2f} s, mean score {grades.mean()}")
    print(f"  load average before/after: {load[0]:.1f} / {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def _children_cpu() -> float:
    """Return the user and system CPU seconds of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main(sys.argv[1:])
