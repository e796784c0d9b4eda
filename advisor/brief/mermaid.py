"""The inference chain as a graph (facts -> rules -> signals -> outcome) and as a Mermaid flowchart."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from advisor.facts import fact_label, show
from advisor.output import printable

if TYPE_CHECKING:
    from advisor.engine import Recommendation

Graph = tuple[dict[str, tuple[str, str]], list[tuple[str, str]]]
"""Nodes (id -> kind and text) and edges (pairs of ids)."""


def chain_graph(rec: Recommendation) -> Graph:
    """Return the inference chain as nodes (id -> kind and text) and edges, facts first, outcome last;
    a contested fact's node says its value is one reading's."""
    nodes: dict[str, tuple[str, str]] = {}
    edges: dict[tuple[str, str], None] = {}

    def node(kind: str, key: str, text: str) -> str:
        ident = kind[0].upper() + "_" + re.sub(r"[^A-Za-z0-9_]", "_", key)
        nodes.setdefault(ident, (kind, text))
        return ident

    for firing in rec.chain():
        rule = rec.kb.rule(firing.rule)
        me = node("rule", rule.id, f"{rule.id}: {rule.title}")
        for fact, value in firing.matched.items():
            read = f" (a reading of {rec.contested_values(fact)})" if fact in rec.contested else ""
            edges[(node("fact", fact, f"{fact_label(fact)}: {show(fact, value)}{read}"), me)] = None
        for signal in firing.signals:
            edges[(node("signal", signal, fact_label(signal)), me)] = None
        for name in firing.declared_signals:
            edges[(me, node("signal", name, fact_label(name)))] = None
    outcome = node("outcome", rec.outcome, rec.label)
    edges[(node("rule", rec.deciding_rule, rec.deciding_rule), outcome)] = None
    return nodes, list(edges)


def mermaid(rec: Recommendation) -> str:
    """Return the inference chain as a Mermaid flowchart: facts -> rules -> signals -> outcome."""
    nodes, edges = chain_graph(rec)
    shape = {"fact": ROUND, "signal": ROUND, "rule": BOX, "outcome": ("([", "])")}
    classes: dict[str, list[str]] = {"fact": [], "signal": [], "rule": [], "outcome": []}
    lines = ["flowchart LR"]
    for ident, (kind, text) in nodes.items():
        lines.append(f'    {ident}{shape[kind][0]}"{mermaid_label(text)}"{shape[kind][1]}')
        classes[kind].append(ident)
    lines += [f"    {source} --> {target}" for source, target in edges]
    lines += [f"    classDef {kind} {style}" for kind, style in _CLASS_STYLES.items()]
    lines += [f"    class {','.join(ids)} {kind}" for kind, ids in classes.items() if ids]
    return "\n".join(lines)


BOX, ROUND = ("[", "]"), ("(", ")")
_CLASS_STYLES = {
    "fact": "fill:#eef4fb,stroke:#4a78b0",
    "signal": "fill:#eefaf0,stroke:#3d8b4f",
    "rule": "fill:#fdf7e8,stroke:#b08a2e",
    "outcome": "fill:#fbeaea,stroke:#a33,font-weight:bold",
}


def mermaid_label(text: str) -> str:
    """Escape text for a quoted Mermaid label: entity codes for #, quotes, angle brackets and backticks."""
    text = printable(" ".join(text.split())).replace("#", "#35;")
    for char, code in (('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("`", "#96;")):
        text = text.replace(char, code)
    return text
