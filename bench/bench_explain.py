"""Explanation figures: why-not for every case and every target outcome, sensitivity, and the brief.

Every search starts from an empty cache (``explain.forget``), so the figures are
those of a first question about a case, not of a warmed-up session. Why-not is also
given for groups of three or more parties (their two optional facts join the search) and
for pairs apart, with the time of all the searches; the load average is printed at the end,
the machine being shared. Whether the answers stayed the same: ``same_why_not.py``.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _subjects() -> list[tuple[str, Any]]:
    """Return the cases of cases/library, or 40 random complete dyads when there are none."""
    from advisor.case_files import iter_case_files
    from advisor.cases import load_file
    from advisor.facts import scales

    found = (
        [
            (c.case.name, c.case)
            for path in iter_case_files(ROOT / "cases" / "library")
            for c in load_file(path)[0]
        ]
        if (ROOT / "cases" / "library").is_dir()
        else []
    )
    if found:
        return found
    rng = random.Random(2026)
    table = scales()
    return [(f"random-{i}", {n: rng.choice(s.values) for n, s in table.items()}) for i in range(40)]


def _timed(function: Any, *args: Any, **kwargs: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def _grouping(subject: Any) -> bool:
    """Say whether a subject is a group of three or more parties (its optional facts join the search)."""
    facts = subject.facts.model_dump() if hasattr(subject, "facts") else subject
    return bool(facts.get("grouping"))


def main() -> None:
    """Print median and max why-not time over every case and target, sensitivity and brief times."""
    from advisor.brief import markdown
    from advisor.engine import get_engine
    from advisor.explain import forget, sensitivity, why_not
    from advisor.outcomes import OUTCOME_IDS

    engine = get_engine()
    subjects = _subjects()
    searches: list[tuple[float, str, str, int, str]] = []
    by_size: dict[str, list[float]] = {"groups": [], "pairs": []}
    started = time.perf_counter()
    for name, subject in subjects:
        for target in OUTCOME_IDS:
            forget(engine)
            seconds, answer = _timed(why_not, subject, target, engine=engine)
            kind = (
                "already" if answer.already else (f"{len(answer.changes)} facts" if answer.found else "none")
            )
            searches.append((seconds, name, target, answer.runs, kind))
            by_size["groups" if _grouping(subject) else "pairs"].append(seconds)
    total = time.perf_counter() - started
    times = [s[0] for s in searches]
    worst = max(searches)
    runs = [s[3] for s in searches]
    kinds: dict[str, int] = {}
    for s in searches:
        kinds[s[4]] = kinds.get(s[4], 0) + 1
    print(f"why-not, cold cache: {len(subjects)} subjects x {len(OUTCOME_IDS)} targets")
    print(f"  median {_ms(statistics.median(times))}, max {_ms(worst[0])} ({worst[1]} -> {worst[2]})")
    print("  (target: max <= 1 s)")
    for size, spent in by_size.items():
        if spent:
            print(f"  {size} (x{len(spent)}): mean {_ms(statistics.mean(spent))}, max {_ms(max(spent))}")
    print(f"  all the searches: {total:.1f} s")
    print(f"  candidates run by the engine per search: median {statistics.median(runs):.0f}, max {max(runs)}")
    print("  answers: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    sens = []
    for _, subject in subjects:
        forget(engine)
        sens.append(_timed(sensitivity, subject, engine=engine)[0])
    print(f"sensitivity, cold      median {_ms(statistics.median(sens))}, max {_ms(max(sens))}")
    briefs = []
    for _, subject in subjects:
        forget(engine)
        briefs.append(_timed(markdown, subject, engine=engine)[0])
    print(f"brief (Markdown), cold median {_ms(statistics.median(briefs))}, max {_ms(max(briefs))}")
    print(f"total {time.perf_counter() - started:.1f} s (load average {os.getloadavg()[0]:.2f} at the end)")


if __name__ == "__main__":
    main()
