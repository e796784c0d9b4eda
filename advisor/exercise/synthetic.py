"""Synthetic classes: plausible student submissions for a pack, for tests, benchmarks and trying out grading.

Each synthetic student codes a scenario as the reference does, except that each
fact may slip to a neighbouring value on its scale (or, rarely, to unknown); the
prediction is usually what happened. Like the interview, a synthetic student codes
the optional facts that apply to the scenario (``standing_commitment`` for a group),
drawn from a generator of their own, so that pair scenarios' classes are as they were.
The same seed always gives the same class.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from advisor.exercise.dump import dump_yaml
from advisor.exercise.model import Pack
from advisor.facts import ASKED_FACTS, FACT_NAMES, OPTIONAL_DEFAULTS, scales
from advisor.optional import applies
from advisor.outcomes import OUTCOME_IDS

RATIONALES = (
    "The threat is real but the two sides do not name the same adversary, so a treaty is unlikely.",
    "Deep economic ties and regular summits point to a partnership high on the ladder.",
    "A shared enemy and a weak partner call for a binding commitment.",
    "Many actors must deliver, so a flexible grouping fits better than a treaty.",
    "Not sure.",
    "",
)


def synthetic_submission(pack: Pack, scenario_id: str, student: str, rng: random.Random) -> dict[str, Any]:
    """Return the data of one plausible submission for a scenario of the pack."""
    scenario = pack.scenario(scenario_id)
    facts: dict[str, Any] = {}
    optional = [f for f in ASKED_FACTS if f not in FACT_NAMES and applies(f, scenario.derived)]
    own = random.Random(f"{scenario_id}/{student}")  # the optional facts' draws leave rng's stream alone
    for name in (*FACT_NAMES, *optional):
        values = scales()[name].values
        here = values.index(scenario.reference.get(name, OPTIONAL_DEFAULTS.get(name)))
        draw = own if name in optional else rng
        roll = draw.random()
        if roll < 0.03:
            facts[name] = "unknown"
        elif roll < 0.25:
            step = draw.choice((-1, 1))
            facts[name] = values[min(max(here + step, 0), len(values) - 1)]
        else:
            facts[name] = values[here]
    prediction = scenario.actual if rng.random() < 0.6 else rng.choice(OUTCOME_IDS)
    return {
        "scenario": scenario_id,
        "student": student,
        "facts": facts,
        "prediction": prediction,
        "rationale": rng.choice(RATIONALES),
        "submitted": f"2026-12-01T10:{rng.randrange(60):02d}:00Z",
        "pack": pack.id,
        "pack_version": pack.version,
    }


def synthetic_class(
    pack: Pack, size: int, *, seed: int = 0, scenarios: list[str] | None = None
) -> list[dict[str, Any]]:
    """Return ``size`` submissions by distinct students, spread over the scenarios in turn."""
    rng = random.Random(seed)
    chosen = scenarios or list(pack.scenarios)
    return [
        synthetic_submission(pack, chosen[i % len(chosen)], f"Student {i + 1:03d}", rng) for i in range(size)
    ]


def write_class(directory: Path, submissions: list[dict[str, Any]]) -> list[Path]:
    """Write submissions as files ``NNN-SCENARIO.yaml`` in a folder; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, data in enumerate(submissions, start=1):
        path = directory / f"{number:03d}-{data['scenario']}.yaml"
        path.write_text(dump_yaml(data), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Write a synthetic class: ``python -m advisor.exercise.synthetic DIR [SIZE] [SCENARIO]``."""
    import sys

    from advisor.exercise.pack import load_pack

    usage = "usage: python -m advisor.exercise.synthetic DIR [SIZE] [SCENARIO]"
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-h", "--help"):
        print(f"{usage}\nWrites SIZE (30) synthetic submissions of the course pack, of one SCENARIO or all.")
        return 0
    if not args or len(args) > 3 or args[0].startswith("-"):
        print(usage, file=sys.stderr)
        return 2
    pack = load_pack()
    if len(args) > 1 and not (args[1].isdigit() and int(args[1]) > 0):
        print(f"advisor: SIZE must be a whole number above 0, not {args[1]!r}\n{usage}", file=sys.stderr)
        return 2
    if len(args) > 2 and args[2] not in pack.scenarios:
        print(f"advisor: no scenario {args[2]!r}; the pack has {', '.join(pack.scenarios)}", file=sys.stderr)
        return 2
    size = int(args[1]) if len(args) > 1 else 30
    scenarios = [args[2]] if len(args) > 2 else None
    paths = write_class(Path(args[0]), synthetic_class(pack, size, seed=1, scenarios=scenarios))
    print(f"Wrote {len(paths)} synthetic submissions to {args[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
