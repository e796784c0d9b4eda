"""Run every benchmark in this folder and print its figures.

    python -m uv run python bench/run.py            # all benchmarks
    python -m uv run python bench/run.py engine     # only bench_engine.py

Each ``bench_*.py`` module has a ``main()`` that prints its own figures.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> None:
    """Run the benchmarks named on the command line, or all of them."""
    wanted = set(argv)
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"== {name}")
        module.main()
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
