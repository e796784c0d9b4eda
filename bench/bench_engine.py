"""Engine figures: build cost, warm advise time per case, cold start of the command line."""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def main() -> None:
    """Print the engine's build time, median warm advise time, and cold ``advisor --help``."""
    start = time.perf_counter()
    from advisor.engine import Engine, advise
    from advisor.facts import scales
    from advisor.rulebase import load_knowledge_base

    imported = time.perf_counter()
    kb = load_knowledge_base()
    loaded = time.perf_counter()
    engine = Engine(kb)
    built = time.perf_counter()
    print(f"import library        {_ms(imported - start)}")
    print(f"load + check rules    {_ms(loaded - imported)}  ({len(kb.rules)} rules)")
    print(f"compile Rete network  {_ms(built - loaded)}")

    rng = random.Random(2026)
    table = scales()
    dyads = [{name: rng.choice(s.values) for name, s in table.items()} for _ in range(2000)]
    advise(dyads[0], engine=engine)  # warm up
    times = []
    for dyad in dyads:
        t = time.perf_counter()
        advise(dyad, engine=engine)
        times.append(time.perf_counter() - t)
    times.sort()
    print(
        f"advise, warm engine   median {_ms(statistics.median(times))}, "
        f"p95 {_ms(times[int(len(times) * 0.95)])} over {len(times)} random dyads (target <= 2 ms, issue 8)"
    )

    held = []  # the confidence too: whether the lead holds under every one-notch change (engine.masks)
    for dyad in dyads:
        t = time.perf_counter()
        _ = advise(dyad, engine=engine).confidence
        held.append(time.perf_counter() - t)
    print(f"advise + confidence   median {_ms(statistics.median(held))} (the one-notch check included)")

    runs = []
    for _ in range(7):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "advisor", "--help"], cwd=ROOT, capture_output=True, check=True)
        runs.append(time.perf_counter() - t)
    print(f"cold `advisor --help` median {_ms(statistics.median(runs))} over 7 runs (target <= 300 ms)")


if __name__ == "__main__":
    main()
