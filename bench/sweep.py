"""Check every monotone direction over the whole fact space, exhaustively.

    python -m uv run python bench/sweep.py                      # all 7,873,200 complete dyads
    python -m uv run python bench/sweep.py --json sweep.json    # also write the figures as JSON
    python -m uv run python bench/sweep.py --fix threat_level=high --fix grouping=false   # a sub-space

Every complete dyad (the 13 required facts of docs/case-format.md, ``grouping`` both ways, and the
optional ``standing_commitment`` and ``standing_forum`` both ways for a grouping, false for a pair,
where they are ignored) gets
its outcome once from the fast exact evaluator (``engine.beliefs.outcome_of``, held
equal to the engine by the tests), stored as one byte in a flat array laid out
in a fixed order (the product of the scales, the last fact fastest). The dyad
one notch away along a fact is then a fixed stride away, so each direction of
``rules/about/directions.yaml`` and the one-step stability are read off by index
arithmetic. The space is split into joblib chunks by grouping and issue_scope:
no direction and no stability step moves either, so every pair lies within one
chunk (the grouping chunks, twice as large, go first). Prints, per direction,
the pairs moved, the pairs checked (the
precondition on the outcome holds) and the violations, counted by kind (the
move and the outcomes before and after) with up to five examples, one of each
kind before a second; then the one-step stability (booleans flipped,
issue_scope and grouping left out; the optional facts only for a grouping) and
the runtime. The space is 1,574,640 pairs and 6,298,560 groupings (the optional facts
both ways), five times the 1,574,640 dyads of the thirteen facts alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from itertools import product
from operator import eq
from pathlib import Path
from typing import Any

from joblib import Parallel, delayed

from advisor.directions import Direction, Violation, load_directions
from advisor.engine import outcome_of
from advisor.facts import ASKED_FACTS, DEFAULTS, DERIVED_FACTS, FactValue, scales, show
from advisor.optional import GROUPING_ONLY
from advisor.outcomes import OUTCOME_IDS
from advisor.rulebase import load_knowledge_base

CHUNK_FACT = "grouping"  # the space is split on it; nothing below moves it
SPLIT_FACT = "issue_scope"  # the chunks are also split on it: no direction or stability step moves it
UNMOVED = (SPLIT_FACT, CHUNK_FACT)  # left out of one-step stability
PAIR_ONLY = {name: DEFAULTS[name] for name in GROUPING_ONLY}  # ignored for a pair: held at its default
EXAMPLES = 5
assert DERIVED_FACTS == (CHUNK_FACT,)


class Space:
    """One chunk of the fact space: the asked facts' allowed values, laid out row-major."""

    def __init__(self, fixed: dict[str, FactValue]):
        self.names = ASKED_FACTS
        self.values = [(fixed[n],) if n in fixed else scales()[n].values for n in self.names]
        self.sizes = [len(v) for v in self.values]
        self.strides = [1] * len(self.names)
        for axis in range(len(self.names) - 2, -1, -1):
            self.strides[axis] = self.strides[axis + 1] * self.sizes[axis + 1]
        self.size = self.strides[0] * self.sizes[0]

    def dyad(self, index: int, extra: dict[str, FactValue]) -> dict[str, FactValue]:
        """Decode a flat index into its dyad."""
        facts = {}
        for name, values, stride, size in zip(self.names, self.values, self.strides, self.sizes, strict=True):
            facts[name] = values[(index // stride) % size]
        return {**facts, **extra}


def sweep_chunk(grouping: bool, fixed: dict[str, FactValue]) -> dict[str, Any]:
    """Evaluate one chunk of the space and check every direction and the stability in it."""
    started = time.perf_counter()
    kb = load_knowledge_base()
    space = Space(fixed if grouping else {**fixed, **PAIR_ONLY})
    code = {o: i for i, o in enumerate(OUTCOME_IDS)}
    codes = bytearray(space.size)
    for index, combo in enumerate(product(*space.values)):
        facts = dict(zip(space.names, combo, strict=True))
        facts[CHUNK_FACT] = grouping
        codes[index] = code[outcome_of(kb, facts)]
    evaluated = time.perf_counter()
    extra: dict[str, FactValue] = {CHUNK_FACT: grouping}
    directions = {d.id: _check(d, space, bytes(codes), extra) for d in load_directions()}
    return {
        "grouping": grouping,
        "dyads": space.size,
        "outcomes": {o: codes.count(code[o]) for o in OUTCOME_IDS},
        "directions": directions,
        "stability": _stability(space, bytes(codes)),
        "seconds_evaluate": evaluated - started,
        "seconds_check": time.perf_counter() - evaluated,
    }


def _check(direction: Direction, space: Space, codes: bytes, extra: dict[str, FactValue]) -> dict[str, Any]:
    """Count the moves, checked moves and violations of one direction over a chunk."""
    counts: dict[str, Any] = {"pairs": 0, "checked": 0, "violations": 0, "transitions": {}, "examples": {}}
    if any(c.fact in extra and extra[c.fact] not in c.values for c in direction.when):
        return counts
    if direction.fact not in space.names:
        raise ValueError(f"{direction.id}: moving {direction.fact} crosses chunks; the sweep cannot check it")
    axis = space.names.index(direction.fact)
    scale = scales()[direction.fact].values
    delta = 1 if direction.change == "up" else -1
    tests = {c.fact: c.values for c in direction.when}
    offsets: list[list[int]] = []
    for a, (name, values, stride) in enumerate(zip(space.names, space.values, space.strides, strict=True)):
        if a == axis:  # the moved value must be in the space too
            allowed = [k for k, v in enumerate(values) if _moved(scale, v, delta) in values]
        else:
            allowed = [k for k, v in enumerate(values) if name not in tests or v in tests[name]]
        offsets.append([k * stride for k in allowed])
    jump = delta * space.strides[axis]
    moved = {v: _moved(scale, v, delta) for v in space.values[axis]}
    n = len(OUTCOME_IDS)
    verdict = [[direction.holds(OUTCOME_IDS[b], OUTCOME_IDS[a]) for a in range(n)] for b in range(n)]
    pairs = checked = failed = 0
    transitions: Counter[str] = Counter()
    examples: dict[str, list[dict[str, Any]]] = {}
    for parts in product(*offsets):
        index = sum(parts)
        before = codes[index]
        after = codes[index + jump]
        pairs += 1
        result = verdict[before][after]
        if result is not None:
            checked += 1
            if not result:
                failed += 1
                value = space.values[axis][(index // space.strides[axis]) % space.sizes[axis]]
                target = moved[value]
                assert target is not None
                key = _transition(direction.fact, value, target, OUTCOME_IDS[before], OUTCOME_IDS[after])
                transitions[key] += 1
                kept = examples.setdefault(key, [])
                if len(kept) < EXAMPLES:
                    facts = space.dyad(index, extra)
                    example = Violation(
                        direction.id,
                        facts,
                        direction.fact,
                        value,
                        target,
                        OUTCOME_IDS[before],
                        OUTCOME_IDS[after],
                    )
                    kept.append(example.to_dict())
    counts.update(pairs=pairs, checked=checked, violations=failed, transitions=transitions, examples=examples)
    return counts


def _moved(scale: Sequence[FactValue], value: FactValue, delta: int) -> FactValue | None:
    index = scale.index(value) + delta
    return scale[index] if 0 <= index < len(scale) else None


def _stability(space: Space, codes: bytes) -> dict[str, list[int]]:
    """Count, per fact, the one-notch changes and those that keep the outcome."""
    result = {}
    for axis, name in enumerate(space.names):
        if name in UNMOVED or space.sizes[axis] < 2:
            continue
        stride, size = space.strides[axis], space.sizes[axis]
        block = stride * size
        pairs = same = 0
        for outer in range(0, space.size, block):
            for k in range(size - 1):
                start = outer + k * stride
                lower = codes[start : start + stride]
                upper = codes[start + stride : start + 2 * stride]
                pairs += stride
                same += sum(map(eq, lower, upper))
        result[name] = [pairs, same]
    return result


def merge(chunks: list[dict[str, Any]]) -> dict[str, Any]:
    """Add up the chunks' figures (chunks in order, examples from the first chunks first)."""
    directions: dict[str, dict[str, Any]] = {}
    stability: dict[str, list[int]] = {}
    outcomes = dict.fromkeys(OUTCOME_IDS, 0)
    for chunk in chunks:
        for key, counts in chunk["directions"].items():
            total = directions.setdefault(
                key, {"pairs": 0, "checked": 0, "violations": 0, "transitions": Counter(), "examples": {}}
            )
            for field in ("pairs", "checked", "violations"):
                total[field] += counts[field]
            total["transitions"].update(counts["transitions"])
            for kind, found in counts["examples"].items():
                total["examples"][kind] = (total["examples"].get(kind, []) + found)[:EXAMPLES]
        for name, (pairs, same) in chunk["stability"].items():
            stability.setdefault(name, [0, 0])
            stability[name][0] += pairs
            stability[name][1] += same
        for o, count in chunk["outcomes"].items():
            outcomes[o] += count
    for total in directions.values():
        total["transitions"] = dict(total["transitions"].most_common())
        total["examples"] = _pick(total["examples"], list(total["transitions"]))
    pairs = sum(p for p, _ in stability.values())
    same = sum(s for _, s in stability.values())
    return {
        "dyads": sum(c["dyads"] for c in chunks),
        "outcomes": outcomes,
        "directions": directions,
        "stability": {
            "changes": pairs,
            "unchanged": same,
            "share": same / pairs if pairs else None,
            "by_fact": {n: {"changes": p, "unchanged": s, "share": s / p} for n, (p, s) in stability.items()},
        },
        "seconds_evaluate": [round(c["seconds_evaluate"], 1) for c in chunks],
        "seconds_check": [round(c["seconds_check"], 1) for c in chunks],
    }


def _transition(fact: str, value: FactValue, target: FactValue, before: str, after: str) -> str:
    """Name a kind of violation: the move and the outcomes before and after it."""
    return f"{show(fact, value)} -> {show(fact, target)}: {before} -> {after}"


def _pick(examples: dict[str, list[dict[str, Any]]], kinds: list[str]) -> list[dict[str, Any]]:
    """Choose up to EXAMPLES examples: one of each kind, the most frequent first, then a second of each."""
    chosen: list[dict[str, Any]] = []
    for rank in range(EXAMPLES):
        chosen += [examples[k][rank] for k in kinds if rank < len(examples[k])]
    return chosen[:EXAMPLES]


def report(result: dict[str, Any]) -> str:
    """Render the merged figures as text."""
    by_id = {d.id: d for d in load_directions()}
    lines = [f"dyads swept: {result['dyads']:,}", ""]
    lines.append(f"{'id':<4} {'pairs moved':>12} {'checked':>12} {'violations':>11} {'share':>8}  direction")
    for key, counts in result["directions"].items():
        share = counts["violations"] / counts["checked"] if counts["checked"] else 0.0
        lines.append(
            f"{key:<4} {counts['pairs']:>12,} {counts['checked']:>12,} {counts['violations']:>11,} "
            f"{share:>8.3%}  {by_id[key].title}"
        )
    for key, counts in result["directions"].items():
        if counts["examples"]:
            lines += [
                "",
                f"{key}: {counts['violations']:,} violations, by kind (move: outcome before -> after):",
            ]
            lines += [f"  {n:>9,}  {kind}" for kind, n in list(counts["transitions"].items())[:12]]
            if len(counts["transitions"]) > 12:
                lines.append(f"  ... and {len(counts['transitions']) - 12} more kinds (all in the JSON)")
            lines.append(f"  {len(counts['examples'])} examples, a kind at a time, the most frequent first:")
            for example in counts["examples"]:
                dyad = ", ".join(f"{k}={v}" for k, v in example["facts"].items())
                lines.append(
                    f"  {example['fact']} {example['from']} -> {example['to']}: "
                    f"{example['before']} -> {example['after']} at {{{dyad}}}"
                )
    stability = result["stability"]
    lines += ["", "one-step stability (single-fact one-notch changes that keep the outcome;"]
    lines.append(f"booleans flipped; {' and '.join(UNMOVED)} left out):")
    if stability["share"] is not None:
        lines.append(
            f"  all facts: {stability['unchanged']:,} of {stability['changes']:,} = {stability['share']:.2%}"
        )
    for name, row in stability["by_fact"].items():
        lines.append(f"  {name:<26} {row['unchanged']:>10,} of {row['changes']:>10,} = {row['share']:.2%}")
    total = result["dyads"]
    lines += ["", "outcomes over the space:"]
    lines += [f"  {o:<14} {n:>10,} ({n / total:.1%})" for o, n in result["outcomes"].items()]
    return "\n".join(lines)


def _fixed(items: list[str]) -> dict[str, FactValue]:
    """Parse ``--fix FACT=VALUE`` arguments into checked values."""
    fixed: dict[str, FactValue] = {}
    for item in items:
        name, _, text = item.partition("=")
        if name not in scales():
            raise SystemExit(f"--fix {item}: unknown fact {name!r}")
        matches = [v for v in scales()[name].values if show(name, v) == text]
        if not matches:
            raise SystemExit(f"--fix {item}: {text!r} is not one of {scales()[name].allowed()}")
        fixed[name] = matches[0]
    return fixed


def run(fixed: dict[str, FactValue], workers: int = 2) -> dict[str, Any]:
    """Sweep the space (less any fixed facts) in chunks, by grouping and issue_scope, and merge."""
    groupings = [fixed[CHUNK_FACT]] if CHUNK_FACT in fixed else [True, False]
    rest = {k: v for k, v in fixed.items() if k != CHUNK_FACT}
    scopes = [rest[SPLIT_FACT]] if SPLIT_FACT in rest else list(scales()[SPLIT_FACT].values)
    jobs = [(g, {**rest, SPLIT_FACT: scope}) for g in groupings for scope in scopes]
    chunks = Parallel(n_jobs=min(workers, len(jobs)))(delayed(sweep_chunk)(g, f) for g, f in jobs)
    result = merge(sorted(chunks, key=lambda c: c["grouping"]))  # pairs first, as before
    result["fixed"] = {k: show(k, v) for k, v in fixed.items()}
    return result


def main(argv: list[str] | None = None) -> None:
    """Run the sweep from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--fix", action="append", default=[], metavar="FACT=VALUE", help="sweep a sub-space")
    parser.add_argument("--workers", type=int, default=2, choices=(1, 2), help="joblib workers (at most 2)")
    args = parser.parse_args(argv)
    fixed = _fixed(args.fix)
    started = time.perf_counter()
    result = run(fixed, args.workers)
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(report(result))
    if fixed:
        print(f"\nsub-space: {', '.join(f'{k}={v}' for k, v in result['fixed'].items())}")
    print(
        f"\nruntime: {result['seconds']:.1f} s wall with {min(args.workers, 2)} workers "
        f"(evaluate per chunk {result['seconds_evaluate']} s, check per chunk {result['seconds_check']} s)"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main(sys.argv[1:])
