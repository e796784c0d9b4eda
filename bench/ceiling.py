"""How far can any rule base go on these facts? Fitted models as a ceiling estimate.

    python -m uv run --with scikit-learn python bench/ceiling.py

scikit-learn is not a dependency of the advisor; ``--with`` lends it to this one run.

The rules are written from the seeds and never fitted to cases. To see how much of the gap to
the issue's goals (80% exact, 95% within one tier on the sealed cases) could be closed by better
rules over the same facts, this script fits general-purpose classifiers to the *development*
split (both codings of each case as training examples; the same split the rules may be edited
against) and scores them on the sealed cases (``held_out``, both codings), exactly as
``bench/validate.py --release`` scores the rules. Nothing here feeds back into a rule: a fitted
model names no passage and obeys no direction. A model's hyper-parameters are chosen by 5-fold
cross-validation on the development split only. A second figure fits on folds of the whole
library (5-fold, stratified) and scores each case's first coding: more training data, still
never the scored case.

Each model's one-step stability over the library (first coding) is printed beside it, as
``bench/validate.py`` measures the rules': a model fitted to what the parties chose is no steadier
than the choices are.

A fitted model that does much better than the rules says the facts carry information the rules
do not use; one that does about as well says the facts themselves bound what rules can reach.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from validate import load_library, neighbours, within_one  # noqa: E402

from advisor.documents import read_document  # noqa: E402
from advisor.engine import outcome_of  # noqa: E402
from advisor.facts import FactValue, scales  # noqa: E402

Facts = Mapping[str, FactValue]
from advisor.rulebase import load_knowledge_base  # noqa: E402

try:
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.neighbors import KNeighborsClassifier
except ImportError:
    raise SystemExit(
        "bench/ceiling.py needs scikit-learn: python -m uv run --with scikit-learn python bench/ceiling.py"
    ) from None

SEED = 2026


def features(facts: Mapping[str, FactValue]) -> list[float]:
    """Encode a coding: ordered scales as their rank, each unordered value (and each tie) as its own 0/1."""
    row: list[float] = []
    for name, scale in scales().items():
        value = facts[name]
        if scale.ordered:
            row.append(float(scale.values.index(value)))
        if not scale.ordered or name == "existing_ties":
            row += [float(value == option) for option in scale.values]
    return row


def models() -> dict[str, GridSearchCV]:
    """The classifiers, each with a small grid searched on the development split."""
    return {
        "logistic regression": GridSearchCV(
            LogisticRegression(max_iter=5000), {"C": [0.03, 0.1, 0.3, 1, 3]}, cv=5
        ),
        "random forest": GridSearchCV(
            RandomForestClassifier(n_estimators=300, random_state=SEED),
            {"min_samples_leaf": [1, 2, 4, 8], "max_features": ["sqrt", 0.5]},
            cv=5,
        ),
        "nearest neighbours": GridSearchCV(KNeighborsClassifier(), {"n_neighbors": [1, 3, 5, 9, 15]}, cv=5),
    }


def agreement(got: Sequence[str], expected: Sequence[str]) -> tuple[float, float]:
    """Return exact and within-one-tier agreement."""
    exact = sum(g == e for g, e in zip(got, expected, strict=True)) / len(expected)
    near = sum(within_one(g, e) for g, e in zip(got, expected, strict=True)) / len(expected)
    return exact, near


def stable(decide: Callable[[list[Facts]], list[str]], cases: Sequence[Facts]) -> float:
    """Return one-step stability as ``bench/validate.py`` measures it: the share of single-fact,
    one-notch changes of the cases that leave the decision unchanged."""
    same = total = 0
    for facts in cases:
        others = list(neighbours(facts))
        base, *moved = decide([facts, *others])
        same += sum(outcome == base for outcome in moved)
        total += len(moved)
    return same / total


def predictor(model: GridSearchCV) -> Callable[[list[Facts]], list[str]]:
    """Return a fitted model as a decision on a batch of codings."""
    return lambda batch: [str(outcome) for outcome in model.predict([features(f) for f in batch])]


def main() -> None:
    first = load_library(ROOT / "cases" / "library")
    second = load_library(ROOT / "cases" / "second")
    split = read_document(ROOT / "bench" / "sealed-split.yaml").data
    held = set().union(*(set(ids) for name, ids in split.items() if name != "seed")) & set(first)
    dev = sorted(set(first) - held)
    sealed = sorted(held)
    codings = {"first": first, "second": second}
    expected = [first[name][1] for name in sealed]

    print(
        f"development {len(dev)} cases (fit), sealed {len(sealed)} cases (scored): exact / within one tier;"
    )
    print("one-step stability over the whole library's first coding")
    print(f"{'':22}{'first coding':>18}{'second coding':>18}{'stability':>12}")
    rules = load_knowledge_base(ROOT / "rules")
    cells = [agreement([outcome_of(rules, lib[n][0]) for n in sealed], expected) for lib in codings.values()]
    library = [first[n][0] for n in sorted(first)]
    steady = stable(lambda batch: [outcome_of(rules, facts) for facts in batch], library)
    print(
        f"{'rules (not fitted)':22}"
        + "".join(f"{e:>10.0%} / {w:<5.0%}" for e, w in cells)
        + f"{steady:>11.1%}"
    )
    train_x = [features(lib[n][0]) for lib in codings.values() for n in dev]
    train_y = [first[n][1] for _ in codings for n in dev]
    fitted = {}
    for label, model in models().items():
        model.fit(train_x, train_y)
        fitted[label] = model.best_estimator_
        predicted = [list(model.predict([features(lib[n][0]) for n in sealed])) for lib in codings.values()]
        cells = [agreement(got, expected) for got in predicted]
        steady = stable(predictor(model), library)
        row = "".join(f"{e:>10.0%} / {w:<5.0%}" for e, w in cells)
        print(f"{label:22}{row}{steady:>11.1%}  ", model.best_params_)

    names = sorted(first)
    labels = [first[n][1] for n in names]
    print(f"\nwhole library ({len(names)} cases), 5-fold: fit on both codings of four folds, score the first")
    for label, estimator in fitted.items():
        got = [""] * len(names)
        for train, test in StratifiedKFold(5, shuffle=True, random_state=SEED).split(names, labels):
            model = type(estimator)(**estimator.get_params())
            x = [features(lib[names[i]][0]) for lib in codings.values() for i in train]
            model.fit(x, [labels[i] for _ in codings for i in train])
            scored = model.predict([features(first[names[i]][0]) for i in test])
            for i, outcome in zip(test, scored, strict=True):
                got[i] = str(outcome)
        exact, near = agreement(got, labels)
        print(f"{label:22}{exact:>10.0%} / {near:<5.0%}")


if __name__ == "__main__":
    main()
