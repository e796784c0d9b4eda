"""How well the advice generalises: a measure that cannot flatter.

    python -m uv run python bench/validate.py             # development split only (for rule edits)
    python -m uv run python bench/validate.py --release   # every split, the sealed one included
    python -m uv run python bench/validate.py --release --json results.json

The case library (``cases/library``) was coded blind, as of each arrangement's year, by
coders who never saw the rule base; ``cases/second`` holds a second, independent blind coding
of the same arrangements. A third of the first 166 (``sealed`` in ``bench/sealed-split.yaml``)
was drawn at random before any rule edit and is sealed: it is never used to decide an edit, and
its figures are printed only with ``--release``. The arrangements added later (``fresh`` and
``fresh2`` in the same file, each batch listed and coded blind after the rules it is measured
against were written) are sealed too: figures on cases no rule edit has seen. ``held_out`` is
every sealed group together. Every figure is also given for the plain baseline in
``bench/baseline.py`` (an if-chain written from the seeds alone), so that what the rule base
adds is visible. A second reference is the advisor's own precedent search: the outcome its
three closest development cases lean to (never the case itself, never a sealed case's
outcome), with how often the rules are right when those precedents agree with them and when
they do not.

Figures: exact and within-one-tier agreement with the outcome the parties chose,
recall per outcome, reproducibility (the same recommendation under both codings),
one-step stability (the share of single-fact, one-notch changes -- booleans
flipped, issue_scope left out -- that leave the recommendation unchanged) over the
library and over random dyads, and calibration (confidence against accuracy).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from baseline import baseline  # noqa: E402

from advisor.documents import read_document  # noqa: E402
from advisor.engine import advise, outcome_of  # noqa: E402
from advisor.engine.masks import one_notch  # noqa: E402
from advisor.facts import FactValue, scales  # noqa: E402
from advisor.library import LibraryError, entries  # noqa: E402
from advisor.library import load_library as library_cases  # noqa: E402
from advisor.outcomes import OUTCOME_IDS, TIERS  # noqa: E402
from advisor.output import write_atomically  # noqa: E402
from advisor.precedents import precedents  # noqa: E402
from advisor.rulebase import load_knowledge_base  # noqa: E402

Facts = dict[str, FactValue]
# "Within one tier": the partnership ladder of advisor.outcomes, with an alliance one rung above its top.
LADDER = {outcome: rung for rung, outcome in enumerate((*TIERS, "alliance"), start=1)}
BANDS = ("clear", "leaning", "close")


def within_one(a: str, b: str) -> bool:
    """Say whether two outcomes are equal or neighbours (the ladder, with alliance above it)."""
    return a == b or (a in LADDER and b in LADDER and abs(LADDER[a] - LADDER[b]) <= 1)


def load_library(folder: Path) -> dict[str, tuple[Facts, str]]:
    """Return id -> (facts, expected) for every case of a library folder (read once, by advisor.library)."""
    try:
        return {case.name: (facts, str(case.expected)) for case, facts in entries(folder)}
    except LibraryError as error:
        raise SystemExit(str(error)) from None


def neighbours(facts: Mapping[str, FactValue]) -> Iterable[Facts]:
    """Yield every single-fact, one-notch change (booleans flipped; issue_scope, derived facts left out)."""
    for name, value in one_notch(facts):
        yield {**facts, name: value}


def stability(
    dyads: Iterable[Mapping[str, FactValue]], decide: Callable[[Mapping[str, FactValue]], str]
) -> float:
    """Return the share of one-notch changes that leave the decision unchanged."""
    same = total = 0
    for dyad in dyads:
        base = decide(dyad)
        for other in neighbours(dyad):
            total += 1
            same += decide(other) == base
    return same / total if total else 1.0


def precedent_leans(folder: Path, pool_ids: Iterable[str]) -> dict[str, str]:
    """Return, for each case of a coding, the lean of its three closest development cases (never itself).

    The pool is the development split of the first coding, so no sealed case's outcome is ever
    read; a development case is judged by the others (leave one out). This is the advisor's
    own precedent search (``advisor.precedents``, k=3, its default), used as a second baseline.
    """
    pool_names = set(pool_ids)
    pool = [case for case in library_cases(ROOT / "cases" / "library") if case.name in pool_names]
    leans = {}
    for case in library_cases(folder):
        lean = precedents(case, library=pool, k=3, exclude=case.name).lean
        leans[case.name] = lean or "partnership"
    return leans


def scores(ids: list[str], got: Mapping[str, str], lib: Mapping[str, tuple[Facts, str]]) -> dict[str, object]:
    """Return exact, within-one and per-outcome recall over some cases."""
    exact = sum(got[i] == lib[i][1] for i in ids)
    near = sum(within_one(got[i], lib[i][1]) for i in ids)
    recall = {}
    for outcome in OUTCOME_IDS:
        mine = [i for i in ids if lib[i][1] == outcome]
        recall[outcome] = [sum(got[i] == outcome for i in mine), len(mine)]
    return {"cases": len(ids), "exact": exact / len(ids), "within_one": near / len(ids), "recall": recall}


def measure(release: bool, random_dyads: int) -> dict[str, object]:
    """Compute every figure; the sealed split only when ``release``."""
    first = load_library(ROOT / "cases" / "library")
    second = load_library(ROOT / "cases" / "second")
    split = read_document(ROOT / "bench" / "sealed-split.yaml").data
    held = {name: set(ids) for name, ids in split.items() if name != "seed"}  # sealed, fresh, ...
    held_out = set().union(*held.values())
    dev = sorted(set(first) - held_out)
    splits = {"development": dev}
    if release:
        splits |= {name: sorted(ids & set(first)) for name, ids in held.items()}
        if len(held) > 1:
            splits |= {"held_out": sorted(held_out & set(first))}
        splits |= {"all": sorted(first)}
    kb = load_knowledge_base()
    recs = {i: advise(first[i][0]) for i in first}
    rules_a = {i: r.outcome for i, r in recs.items()}
    rules_b = {i: advise(second[i][0]).outcome for i in second}
    base_a = {i: baseline(first[i][0]) for i in first}
    base_b = {i: baseline(second[i][0]) for i in second}
    near_a, near_b = (
        precedent_leans(ROOT / "cases" / "library", dev),
        precedent_leans(ROOT / "cases" / "second", dev),
    )
    report: dict[str, object] = {"splits": {}}
    for name, ids in splits.items():
        report["splits"][name] = {  # type: ignore[index]
            "rules": scores(ids, rules_a, first),
            "rules_second_coding": scores(ids, rules_b, second),
            "baseline": scores(ids, base_a, first),
            "baseline_second_coding": scores(ids, base_b, second),
            "precedents": scores(ids, near_a, first),
            "precedents_second_coding": scores(ids, near_b, second),
            "reproducibility": {
                "rules": sum(rules_a[i] == rules_b[i] for i in ids) / len(ids),
                "baseline": sum(base_a[i] == base_b[i] for i in ids) / len(ids),
                "precedents": sum(near_a[i] == near_b[i] for i in ids) / len(ids),
            },
            "rules_by_precedents": {
                verdict: [sum(rules_a[i] == first[i][1] for i in mine), len(mine)]
                for verdict, mine in (
                    ("agree", [i for i in ids if near_a[i] == rules_a[i]]),
                    ("disagree", [i for i in ids if near_a[i] != rules_a[i]]),
                )
            },
            "stability_library": {
                "rules": stability((first[i][0] for i in ids), lambda f: outcome_of(kb, f)),
                "baseline": stability((first[i][0] for i in ids), baseline),
            },
        }
    if release:
        for name in (*held, "held_out"):
            if name in splits:
                calibration = {}
                for band in BANDS:
                    mine = [i for i in splits[name] if recs[i].confidence == band]
                    calibration[band] = [sum(rules_a[i] == first[i][1] for i in mine), len(mine)]
                report[f"calibration_{name}"] = calibration
    if random_dyads:
        rng = random.Random(1)
        table = scales()
        dyads = [{k: rng.choice(s.values) for k, s in table.items()} for _ in range(random_dyads)]
        report["stability_random"] = {
            "dyads": random_dyads,
            "rules": stability(dyads, lambda f: outcome_of(kb, f)),
            "baseline": stability(dyads, baseline),
        }
    return report


def show(report: Mapping[str, object]) -> None:
    """Print the figures as plain tables."""
    for name, split in report["splits"].items():  # type: ignore[attr-defined]
        print(f"\n## {name} split ({split['rules']['cases']} cases)")
        print(f"{'':28}{'exact':>8}{'within 1':>10}   recall " + " ".join(f"{o[:5]:>7}" for o in OUTCOME_IDS))
        keys = ("rules", "rules_second_coding", "baseline", "baseline_second_coding", "precedents")
        for key in (*keys, "precedents_second_coding"):
            s = split[key]
            recall = " ".join(f"{(h / n if n else 0):>7.0%}" for h, n in s["recall"].values())
            print(f"{key:28}{s['exact']:>8.0%}{s['within_one']:>10.0%}          {recall}")
        r, st = split["reproducibility"], split["stability_library"]
        print(
            f"reproducibility (both codings agree): rules {r['rules']:.0%}, baseline {r['baseline']:.0%}, "
            f"precedents {r['precedents']:.0%}"
        )
        agree, disagree = split["rules_by_precedents"]["agree"], split["rules_by_precedents"]["disagree"]
        print(
            f"rules right when the precedents agree with them: {agree[0]}/{agree[1]}; "
            f"when they disagree: {disagree[0]}/{disagree[1]}"
        )
        print(f"one-step stability over these cases: rules {st['rules']:.1%}, baseline {st['baseline']:.1%}")
    for name in (key.removeprefix("calibration_") for key in report if key.startswith("calibration_")):
        print(f"\n## calibration on the {name} split (confidence: right / cases)")
        for band, (hit, n) in report[f"calibration_{name}"].items():  # type: ignore[attr-defined]
            print(f"{band:>8}: {hit}/{n}" + (f" ({hit / n:.0%})" if n else ""))
    if "stability_random" in report:
        s = report["stability_random"]
        print(
            f"\none-step stability over {s['dyads']:,} random dyads: rules {s['rules']:.1%}, "  # type: ignore[index]
            f"baseline {s['baseline']:.1%}"
        )  # type: ignore[index]


def main() -> None:
    """Parse the options, measure and print (and write JSON if asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", action="store_true", help="include the sealed split and calibration")
    parser.add_argument("--random", type=int, default=0, metavar="N", help="stability over N random dyads")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    report = measure(args.release, args.random)
    show(report)
    if args.json:
        write_atomically(args.json, json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
