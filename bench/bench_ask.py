"""Consultation figures: time to the first question, the wait after the names, and the relevance analysis.

The first two are measured on the real program in a pseudo-terminal (pexpect),
as a user meets it: from spawning ``advisor ask`` to the first question on the
screen (target <= 0.5 s), and from typing the names to the first fact question.
The relevance analysis is timed on random partial answers, and its precision
measured by brute force: of the facts it keeps asking, how many can really
change the outcome (it must never skip one that can: that would be unsound).
"""

from __future__ import annotations

import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from running import terminal_env  # noqa: E402  (tests/ is not a package; the same terminal as the tests')


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _session(folder: str) -> tuple[float, float]:
    """Time one consultation: spawn to the names question, then names typed to the first fact question."""
    import pexpect

    start = time.perf_counter()
    child = pexpect.spawn(
        sys.executable,
        ["-m", "advisor", "ask"],
        cwd=folder,
        env=terminal_env(80),
        dimensions=(40, 80),
        encoding="utf-8",
        timeout=30,
    )
    child.expect("First party's name")
    first = time.perf_counter() - start
    child.sendline("Alpha")
    child.expect("Second party's name")
    child.sendline("Beta")
    child.expect("Party 3")
    typed = time.perf_counter()
    child.sendline("")
    child.expect(r"\x1b\[\?2004h")  # the first fact question's answer line is up (bracketed paste on)
    loaded = time.perf_counter() - typed
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    return first, loaded


def _partial(rng: random.Random, unknown: int) -> dict[str, Any]:
    """Draw a dyad with ``unknown`` facts left unanswered."""
    from advisor.facts import FACT_NAMES, scales

    hidden = set(rng.sample(FACT_NAMES, unknown))
    return {n: rng.choice(scales()[n].values) for n in FACT_NAMES if n not in hidden}


def _truly_relevant(engine: Any, known: dict[str, Any]) -> set[str]:
    """Return, by brute force over every completion, the unanswered facts that can change the outcome."""
    from advisor.facts import FACT_NAMES, scales

    free = [n for n in FACT_NAMES if n not in known]
    outcome = {
        values: engine.run({**known, **dict(zip(free, values, strict=True))}).outcome
        for values in itertools.product(*(scales()[n].values for n in free))
    }
    found = set()
    for i, name in enumerate(free):
        groups: dict[tuple[Any, ...], set[str]] = {}
        for values, result in outcome.items():
            groups.setdefault(values[:i] + values[i + 1 :], set()).add(result)
        if any(len(results) > 1 for results in groups.values()):
            found.add(name)
    return found


def main() -> None:
    """Print the time to the first question, the wait after the names, and relevance figures."""
    with tempfile.TemporaryDirectory() as folder:
        runs = [_session(folder) for _ in range(7)]
    print(
        f"`advisor ask` to the first question  median {_ms(statistics.median(r[0] for r in runs))}, "
        f"max {_ms(max(r[0] for r in runs))} over {len(runs)} runs (target <= 500 ms)"
    )
    print(
        f"names typed to the first fact question  median {_ms(statistics.median(r[1] for r in runs))} "
        "(loading overlaps the typing of the names)"
    )

    from advisor.engine import analyse, get_engine

    engine = get_engine()
    rng = random.Random(2026)
    states = [_partial(rng, rng.randint(0, 13)) for _ in range(500)]
    start = time.perf_counter()
    for known in states:
        analyse(known, engine.kb)
    mean = (time.perf_counter() - start) / len(states)
    print(f"relevance analysis     mean {mean * 1000:.2f} ms per call over {len(states)} partial dyads")

    asked = relevant = unsound = 0
    for _ in range(40):
        known = _partial(rng, 3)
        said = set(analyse(known, engine.kb).decisive)
        truth = _truly_relevant(engine, known)
        asked += len(said)
        relevant += len(said & truth)
        unsound += len(truth - said)
    print(
        f"relevance precision    {relevant}/{asked} facts kept as decisive really matter "
        f"(40 states, 3 unanswered each); skipped but mattering: {unsound} (must be 0)"
    )


if __name__ == "__main__":
    main()
