"""Batch evaluation figures: 10,000 random valid case files, end to end and in the library.

python -m uv run python bench/bench_evaluate.py            # 10,000 cases
python -m uv run python bench/bench_evaluate.py 2000       # another size
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = 10_000
SEED = 2026
TARGET = 12.0  # seconds for 10,000 cases on 2 cores (issue 8)


def write_cases(directory: Path, count: int, seed: int = SEED) -> None:
    """Write ``count`` random valid case files (YAML, some JSON) under ``directory``, 100 per folder."""
    from advisor.facts import scales
    from advisor.outcomes import OUTCOME_IDS

    rng = random.Random(seed)
    table = scales()
    for i in range(count):
        case = {
            "id": f"random-{i:05d}",
            "title": f"Random dyad {i}",
            "parties": [f"State {rng.randrange(200)}", f"State {rng.randrange(200, 400)}"],
            "year": rng.randrange(1945, 2030),
            "facts": {name: rng.choice(scale.values) for name, scale in table.items()},
            "expected": rng.choice(OUTCOME_IDS),
        }
        folder = directory / f"{i // 100:03d}"
        folder.mkdir(exist_ok=True)
        if i % 10 == 0:
            (folder / f"{case['id']}.json").write_text(json.dumps(case, indent=2))
        else:
            (folder / f"{case['id']}.yaml").write_text(_yaml(case))


def _yaml(case: dict[str, object]) -> str:
    """Return a case as the YAML a person would write (block style, booleans as true/false)."""
    lines = []
    for key, value in case.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {k}: {str(v).lower() if isinstance(v, bool) else v}" for k, v in value.items()]
        elif isinstance(value, list):
            lines.append(f"{key}: [{', '.join(map(str, value))}]")
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n"


def _children_cpu() -> float:
    """Return the CPU seconds used so far by finished child processes and their descendants."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _bytecode() -> str:
    """Say whether the dependencies' bytecode was written at install time (workers start sooner with it)."""
    import importlib.util

    import pydantic

    cached = importlib.util.cache_from_source(pydantic.__file__)
    if Path(cached).exists():
        return "written at install"
    return "absent: each process compiles its imports (python -m uv sync --locked --compile-bytecode)"


def _cores() -> int:
    from advisor.evaluate import default_jobs

    return default_jobs()


def main(count: int = CASES) -> None:
    """Print the cost of reading, of running, and of the whole batch in the library and the CLI."""
    from advisor.engine import get_engine
    from advisor.evaluate import collect, evaluate, load_cases, run_cases

    with tempfile.TemporaryDirectory(prefix="advisor-bench-") as tmp:
        directory = Path(tmp)
        start = time.perf_counter()
        write_cases(directory, count)
        print(f"write {count} case files      {time.perf_counter() - start:6.2f} s")

        files, _ = collect([directory])
        start = time.perf_counter()
        cases, errors = load_cases(files, jobs=1)
        read = time.perf_counter() - start
        assert len(cases) == count and not errors, errors[:3]
        print(f"read + validate, 1 process   {read:6.2f} s  ({read / count * 1000:.2f} ms per file)")

        get_engine()
        sample = cases[:1000]
        start = time.perf_counter()
        run_cases(sample, jobs=1)
        run = (time.perf_counter() - start) / len(sample)
        print(f"run the engine, 1 process    {run * count:6.2f} s  ({run * 1000:.2f} ms per case, estimated)")

        jobs = _cores()
        start = time.perf_counter()
        evaluation = evaluate([directory], jobs=jobs)
        library = time.perf_counter() - start
        assert evaluation.summary.cases == count
        print(f"evaluate() in the library    {library:6.2f} s  ({jobs} workers, warm parent)")

        load = os.getloadavg()[0]
        cpu_before = _children_cpu()
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "advisor", "evaluate", str(directory), "--json"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        cli = time.perf_counter() - start
        cpu = _children_cpu() - cpu_before
        summary = json.loads(done.stdout)["summary"]
        assert summary["cases"] == count and done.returncode in (0, 1), done.stderr[-500:]
        verdict = "ok" if cli <= TARGET * count / CASES else "over target"
        print(
            f"`advisor evaluate DIR --json` {cli:5.2f} s  end to end, {jobs} cores "
            f"(target <= {TARGET * count / CASES:.1f} s on 2 cores: {verdict})"
        )
        print(
            f"  CPU time of the command and its workers {cpu:.2f} s; load average before it {load:.2f} "
            "(other work on the machine slows the wall time)"
        )
        print(f"  the dependencies' bytecode: {_bytecode()}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else CASES)
