"""The inference chain drawn as inline SVG: columns from the facts to the outcome, no script needed.

A graph is nodes (id -> kind and text) and edges (pairs of ids). Each node goes in
the column one past the furthest node that points to it, so facts stand on the
left and the outcome on the right; edges are curves from box to box with an arrow.
Every piece of text is escaped: the SVG is safe to put inside an HTML page.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping, Sequence

from advisor.output import printable

FILL = {
    "fact": ("#eef4fb", "#4a78b0"),
    "signal": ("#eefaf0", "#3d8b4f"),
    "rule": ("#fdf7e8", "#b08a2e"),
    "outcome": ("#fbeaea", "#aa3333"),
}
BOX_WIDTH, LINE_HEIGHT, PAD, COLUMN_GAP, ROW_GAP, CHARS = 190, 15, 8, 60, 14, 26


def chain_svg(nodes: Mapping[str, tuple[str, str]], edges: Sequence[tuple[str, str]], *, title: str) -> str:
    """Return an SVG drawing of a graph whose nodes are ``id -> (kind, text)``."""
    column = _columns(nodes, edges)
    boxes: dict[str, tuple[float, float, float, list[str]]] = {}  # id -> x, y, height, lines
    heights = [0.0] * (max(column.values(), default=0) + 1)
    for ident in nodes:
        lines = textwrap.wrap(nodes[ident][1], CHARS) or [""]
        height = float(len(lines) * LINE_HEIGHT + 2 * PAD)
        x = column[ident] * (BOX_WIDTH + COLUMN_GAP) + 10.0
        boxes[ident] = (x, heights[column[ident]] + 10, height, lines)
        heights[column[ident]] += height + ROW_GAP
    width = len(heights) * (BOX_WIDTH + COLUMN_GAP) - COLUMN_GAP + 20.0
    total = max(heights, default=0) + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chain" role="img" width="{width:.0f}" '
        f'height="{total:.0f}" viewBox="0 0 {width:.0f} {total:.0f}" '
        'style="max-width: 100%; height: auto" font-family="sans-serif" font-size="12">',
        f"<title>{html.escape(printable(title))}</title>",
    ]
    for source, target in edges:
        x1, y1, h1, _ = boxes[source]
        x2, y2, h2, _ = boxes[target]
        start, end = (x1 + BOX_WIDTH, y1 + h1 / 2), (float(x2), y2 + h2 / 2)
        bend = (end[0] - start[0]) / 2
        parts.append(
            f'<path d="M {start[0]:.0f} {start[1]:.0f} C {start[0] + bend:.0f} {start[1]:.0f}, '
            f'{end[0] - bend:.0f} {end[1]:.0f}, {end[0]:.0f} {end[1]:.0f}" fill="none" stroke="#888" '
            'stroke-width="1.2"/>'
        )
        tip_x, tip_y = end  # the curve arrives level, so the arrowhead points right
        parts.append(
            f'<polygon points="{tip_x - 8:.0f},{tip_y - 4:.0f} {tip_x:.0f},{tip_y:.0f} '
            f'{tip_x - 8:.0f},{tip_y + 4:.0f}" fill="#666"/>'
        )
    for ident, (x, y, height, lines) in boxes.items():
        kind = nodes[ident][0]
        fill, stroke = FILL.get(kind, FILL["rule"])
        radius = 14 if kind in ("fact", "signal", "outcome") else 3
        weight = ' font-weight="bold"' if kind == "outcome" else ""
        parts.append(
            f'<g class="{html.escape(kind)}"><rect x="{x:.0f}" y="{y:.0f}" width="{BOX_WIDTH}" '
            f'height="{height:.0f}" rx="{radius}" fill="{fill}" stroke="{stroke}"/>'
        )
        for number, line in enumerate(lines):
            baseline = y + PAD + (number + 1) * LINE_HEIGHT - 3
            parts.append(
                f'<text x="{x + BOX_WIDTH / 2:.0f}" y="{baseline:.0f}" text-anchor="middle"{weight}>'
                f"{html.escape(printable(line))}</text>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def _columns(nodes: Mapping[str, tuple[str, str]], edges: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Place each node one column past the furthest node pointing to it (facts first)."""
    column = {ident: 0 for ident in nodes}
    for _ in range(len(nodes)):  # longest path by relaxation; the chain has no cycles
        changed = False
        for source, target in edges:
            if column[target] < column[source] + 1:
                column[target], changed = column[source] + 1, True
        if not changed:
            break
    return column


if __name__ == "__main__":
    demo = {
        "F_threat": ("fact", "threat level: high"),
        "R_THR": ("rule", "THR-01: A real threat from a commonly named adversary"),
        "S_bal": ("signal", "balancing need"),
        "O_all": ("outcome", "Alliance"),
    }
    print(chain_svg(demo, [("F_threat", "R_THR"), ("R_THR", "S_bal"), ("S_bal", "O_all")], title="demo"))
