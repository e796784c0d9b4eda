"""The checks that only show across the whole knowledge base, and the passages against the seeds.

Loading (``advisor.rulebase.load``) checks each rule on its own; what is left needs every
rule at once: duplicate ids, signals nobody defines, declares or uses, rules that can never
fire, one combine rule and a baseline. ``passages`` checks what ``advisor rules check
--seeds DIR`` promises: every passage a rule cites is in its seed's text, word for word.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from advisor.documents import DocumentError, read_bytes
from advisor.rulebase.model import KnowledgeBase, Rule


def cross_checks(
    rules: list[Rule],
    signals: dict[str, str] | None,
    signal_lines: dict[str, str],
    seeds: dict[str, Any] | None,
) -> Iterable[str]:
    """Yield the problems that only show across the whole base.

    ``signals`` or ``seeds`` is None when a file's definitions of them could not be
    read (and that was reported): a name missing then is no news, and is not reported.
    """
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            yield f"{rule.where}: duplicate rule id {rule.id} (first at {seen[rule.id].where})"
        seen.setdefault(rule.id, rule)
        named = dict.fromkeys((*rule.signals, *rule.without, *([rule.declares] if rule.declares else [])))
        for signal in named:  # once each, though a rule may both test and declare it
            if signals is not None and signal not in signals:
                yield f"{rule.where}: rule {rule.id}: unknown signal {signal!r}; define it under signals:"
        if seeds is not None and rule.source.seed is not None and rule.source.seed not in seeds:
            known = ", ".join(sorted(seeds)) or "none"
            yield f"{rule.where}: rule {rule.id}: unknown seed {rule.source.seed!r} (known: {known})"
    declared = {r.declares for r in rules if r.declares}
    used = {s for r in rules for s in (*r.signals, *r.without)}
    for signal, where in signal_lines.items():
        if signal not in declared:
            yield f"{where}: signal {signal} is never declared by any rule"
        elif signal not in used:
            yield f"{where}: signal {signal} is declared but no rule uses it"
    yield from never_fire(rules)
    combiners = [r for r in rules if r.kind == "combine"]
    if len(combiners) != 1:
        yield f"the knowledge base needs exactly one combine rule; it has {len(combiners)}"
    if not any(r.kind == "evidence" and (r.cf or 0) > 0 and not r.facts and not r.signals for r in rules):
        yield "the knowledge base needs a baseline: an evidence rule for an outcome with no conditions"


def never_fire(rules: list[Rule]) -> Iterable[str]:
    """Yield the rules that need a signal only rules needing it declare (a cycle of signals needed
    present, a rule needing its own conclusion): no firing can ever start them."""
    possible: set[str] = set()  # the signals some firing order can declare
    grew = True
    while grew:
        grew = False
        for rule in rules:
            if rule.declares and rule.declares not in possible and set(rule.signals) <= possible:
                possible.add(rule.declares)
                grew = True
    declared = {r.declares for r in rules if r.declares}
    for rule in rules:
        stuck = [s for s in rule.signals if s in declared and s not in possible]
        if stuck:
            by = ", ".join(r.id for r in rules if r.declares in stuck)
            yield (
                f"{rule.where}: rule {rule.id}: can never fire: {', '.join(stuck)} is declared only by "
                f"rules that need it themselves, directly or through other signals ({by})"
            )


def passages(kb: KnowledgeBase, seeds: Path) -> list[str]:
    """Return a problem for each seed text that cannot be read from ``seeds`` and each passage that
    is not in its seed, word for word (blanks and line breaks aside)."""
    problems: list[str] = []
    texts: dict[str, str] = {}
    for name, source in kb.seeds.items():
        path = seeds / source.file
        try:
            texts[name] = " ".join(read_bytes(path).decode("utf-8-sig").split())
        except (DocumentError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: seed {name}: {exc}")
    for rule in kb.rules:
        seed = rule.source.seed
        if seed in texts and " ".join(rule.source.passage.split()) not in texts[seed]:
            passage = rule.source.passage
            quoted = passage if len(passage) <= 60 else passage[:57] + "..."
            problems.append(
                f"{rule.where}: rule {rule.id}: source.passage is not in seed {seed} "
                f"({seeds / kb.seeds[seed].file}), word for word: “{quoted}”"
            )
    return problems
