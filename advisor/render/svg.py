"""The inference chain drawn as inline SVG: columns from the facts to the outcome, no script needed.

A graph is nodes (id -> kind and text) and edges (pairs of ids). Each node goes in
the column one past the furthest node that points to it, so facts stand on the
left and the outcome on the right; edges are curves from box to box with an arrow.
A long chain (more than three columns) is drawn top to bottom instead, a row a
column, so that its width, and the size of its text on a page, stay as for a short one;
an arrow leaves its box straight down to the bottom of its row before it turns (a taller box beside
its own is not crossed), and an arrow past a row goes down a lane clear of that row's boxes, the
nearest to its ends.
Every piece of text is escaped: the SVG is safe to put inside an HTML page.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping, Sequence
from itertools import pairwise

from advisor.output import printable

FILL = {
    "fact": ("#eef4fb", "#4a78b0"),
    "signal": ("#eefaf0", "#3d8b4f"),
    "rule": ("#fdf7e8", "#b08a2e"),
    "outcome": ("#fbeaea", "#aa3333"),
}
BOX_WIDTH, LINE_HEIGHT, PAD, COLUMN_GAP, ROW_GAP, CHARS = 190, 15, 8, 60, 14, 26
ACROSS_GAP, DOWN_GAP = 30, 36  # between boxes side by side, and between rows, when drawn top to bottom
GUTTER = 40  # top to bottom: room on the left for the arrows that pass a row
MAX_ACROSS = 3  # columns drawn left to right, or boxes on one line top to bottom: at most 770 units wide
MIN_SCALE = 0.85  # on a screen, never drawn smaller (12-unit text at 10.2 px); the figure scrolls instead
WIDEST = MAX_ACROSS * (BOX_WIDTH + COLUMN_GAP) - COLUMN_GAP + 20  # 770: the widest drawing


def chain_svg(nodes: Mapping[str, tuple[str, str]], edges: Sequence[tuple[str, str]], *, title: str) -> str:
    """Return an SVG drawing of a graph whose nodes are ``id -> (kind, text)``: left to right when it
    has at most ``MAX_ACROSS`` columns, else top to bottom (a row a column, ``MAX_ACROSS`` boxes a line),
    so that it is never wider than ``WIDEST`` units and its text stays legible on a page."""
    column = _columns(nodes, edges)
    across = max(column.values(), default=0) < MAX_ACROSS
    boxes = _place_across(nodes, column) if across else _place_down(nodes, column)
    arrows = _arrows(boxes, edges, across=across)
    width = max((x + BOX_WIDTH for x, _, _, _ in boxes.values()), default=0.0) + 10
    total = max((y + h for _, y, h, _ in boxes.values()), default=0.0) + 10
    # shrunk to the page, but never below MIN_SCALE on a screen (the figure scrolls; print may shrink it)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chain" role="img" width="{width:.0f}" '
        f'height="{total:.0f}" viewBox="0 0 {width:.0f} {total:.0f}" '
        f'style="max-width: 100%; min-width: {width * MIN_SCALE:.0f}px; height: auto" '
        'font-family="sans-serif" font-size="12">',
        f"<title>{html.escape(printable(title))}</title>",
        *arrows,
    ]
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


Boxes = dict[str, tuple[float, float, float, list[str]]]  # id -> x, y, height, lines of text
Lanes = list[tuple[tuple[str, str], float, float, float]]  # arrows drawn down lanes: edge, x, top, bottom
LANE_CLEARANCE = 6  # a lane passes at least this far from a box
LANE_STEP = 4  # arrows sharing a lane are drawn this far apart
MAX_SHIFTS = 4  # and at most this many steps to either side


def _arrows(boxes: Boxes, edges: Sequence[tuple[str, str]], *, across: bool) -> list[str]:
    """Return each edge drawn as a curve with an arrowhead.

    Left to right: out of a box's right side into the next one's left. Top to bottom: out of the
    bottom into the top; an arrow that passes rows goes down a lane clear of their boxes."""
    parts: list[str] = []
    tops = {y for _, y, _, _ in boxes.values()}  # top to bottom: the rows
    bottoms = {top: max(y + h for _, y, h, _ in boxes.values() if y == top) for top in tops}
    lanes: Lanes = []  # the arrows drawn down lanes past rows so far
    for source, target in edges:
        x1, y1, h1, _ = boxes[source]
        x2, y2, h2, _ = boxes[target]
        if across:  # the arrow points right
            start, end = (x1 + BOX_WIDTH, y1 + h1 / 2), (float(x2), y2 + h2 / 2)
            bend = (end[0] - start[0]) / 2
            c1, c2 = (start[0] + bend, start[1]), (end[0] - bend, end[1])
            tip = (end[0] - 8, end[1] - 4, end[0] - 8, end[1] + 4)
        else:  # the arrow points down, from the bottom of its row (straight down to it from its box)
            start, end = (x1 + BOX_WIDTH / 2, bottoms[y1]), (x2 + BOX_WIDTH / 2, float(y2))
            bend = (end[1] - start[1]) / 2
            c1, c2 = (start[0], start[1] + bend), (end[0], end[1] - bend)
            tip = (end[0] - 4, end[1] - 8, end[0] + 4, end[1] - 8)
        drop = f"M {start[0]:.0f} {y1 + h1:.0f} L " if not across and y1 + h1 < start[1] else "M "
        passed = sorted(top for top in tops if y1 < top < y2) if not across else []
        if passed:  # down a lane clear of the boxes of the rows passed, the nearest to both ends
            bottom = bottoms[passed[-1]]
            lane = _lane(boxes, (passed, bottom), (start[0], end[0]), (source, target), lanes)
            parts.append(_path(drop + _via_lane(start, end, lane, passed[0], bottom)))
        else:
            parts.append(
                _path(
                    f"{drop}{start[0]:.0f} {start[1]:.0f} C {c1[0]:.0f} {c1[1]:.0f}, "
                    f"{c2[0]:.0f} {c2[1]:.0f}, {end[0]:.0f} {end[1]:.0f}"
                )
            )
        parts.append(_arrowhead(tip, end))
    return parts


def _path(d: str) -> str:
    return f'<path d="{d}" fill="none" stroke="#888" stroke-width="1.2"/>'


def _arrowhead(tip: tuple[float, float, float, float], end: tuple[float, float]) -> str:
    return (
        f'<polygon points="{tip[0]:.0f},{tip[1]:.0f} {end[0]:.0f},{end[1]:.0f} '
        f'{tip[2]:.0f},{tip[3]:.0f}" fill="#666"/>'
    )


def _lane(
    boxes: Boxes,
    passing: tuple[Sequence[float], float],
    ends: tuple[float, float],
    edge: tuple[str, str],
    taken: Lanes,
) -> float:
    """Return the x of a vertical lane through the rows ``passing`` gives (their tops, and the bottom of
    the last) clear of their boxes: the nearest to both ends
    (straight down from one of them where it can), between two boxes, or beside a row. Arrows that share
    a lane and an end run together (they part or meet as branches do); an arrow that shares it with
    arrows from other boxes to other boxes is drawn a few units beside them, where that is still clear,
    so that no two arrows merge that neither start nor end together."""
    rows, bottom = passing
    spans = [
        (x - LANE_CLEARANCE, x + BOX_WIDTH + LANE_CLEARANCE) for x, y, _, _ in boxes.values() if y in rows
    ]
    right = max(x + BOX_WIDTH for x, _, _, _ in boxes.values())  # no lane widens the drawing

    def clear(x: float) -> bool:
        return 10 <= x <= right and all(not a < x < b for a, b in spans)

    x1, x2 = ends
    candidates = {x1, x2, 10.0 + GUTTER / 2}
    for row in rows:
        xs = sorted(x for x, y, _, _ in boxes.values() if y == row)
        candidates |= {(a + BOX_WIDTH + b) / 2 for a, b in pairwise(xs)}
        candidates |= {xs[0] - ACROSS_GAP / 2, xs[-1] + BOX_WIDTH + ACROSS_GAP / 2}
    top = rows[0]

    def apart(x: float) -> bool:  # no arrow down x near these rows, but from the same box or to the same
        return all(
            s == edge[0] or t == edge[1]
            for (s, t), at, above, below in taken
            if abs(at - x) < LANE_STEP and above < bottom + DOWN_GAP and top < below + DOWN_GAP
        )

    lanes = sorted((c for c in candidates if clear(c)), key=lambda c: (abs(c - x1) + abs(c - x2), c))
    shifts = [LANE_STEP * ((i + 1) // 2) * (1 if i % 2 == 0 else -1) for i in range(2 * MAX_SHIFTS + 1)]
    # the nearest lane, 4 units to its left, to its right, 8 to its left, ...; else the next lane
    x = next((lane + d for lane in lanes for d in shifts if clear(lane + d) and apart(lane + d)), lanes[0])
    taken.append((edge, x, top, bottom))
    return x


def _via_lane(
    start: tuple[float, float], end: tuple[float, float], lane: float, first_top: float, last_bottom: float
) -> str:
    """Return the path (but its first ``M``) from ``start`` over to the lane before the first row passed,
    straight down it past the last, and over to ``end``: two curves joined by a line."""
    (sx, sy), (ex, ey) = start, end
    top, bottom = first_top - 2, last_bottom + 2
    mid1, mid2 = (sy + top) / 2, (bottom + ey) / 2
    return (
        f"{sx:.0f} {sy:.0f} C {sx:.0f} {mid1:.0f}, {lane:.0f} {mid1:.0f}, {lane:.0f} {top:.0f} "
        f"L {lane:.0f} {bottom:.0f} C {lane:.0f} {mid2:.0f}, {ex:.0f} {mid2:.0f}, {ex:.0f} {ey:.0f}"
    )


def _lines(text: str) -> tuple[list[str], float]:
    lines = textwrap.wrap(text, CHARS) or [""]
    return lines, float(len(lines) * LINE_HEIGHT + 2 * PAD)


def _place_across(nodes: Mapping[str, tuple[str, str]], column: Mapping[str, int]) -> Boxes:
    """Place the columns side by side, each column's boxes one under the other."""
    boxes: Boxes = {}
    heights = [0.0] * (max(column.values(), default=0) + 1)
    for ident in nodes:
        lines, height = _lines(nodes[ident][1])
        x = column[ident] * (BOX_WIDTH + COLUMN_GAP) + 10.0
        boxes[ident] = (x, heights[column[ident]] + 10, height, lines)
        heights[column[ident]] += height + ROW_GAP
    return boxes


def _place_down(nodes: Mapping[str, tuple[str, str]], column: Mapping[str, int]) -> Boxes:
    """Place the columns one under the other, as rows of at most MAX_ACROSS boxes, each line centred."""
    boxes: Boxes = {}
    top = 10.0
    ranks = [[ident for ident in nodes if column[ident] == rank] for rank in range(max(column.values()) + 1)]
    wide = min(MAX_ACROSS, max(len(members) for members in ranks))
    for members in ranks:
        for first in range(0, len(members), MAX_ACROSS):
            line = members[first : first + MAX_ACROSS]
            placed = {ident: _lines(nodes[ident][1]) for ident in line}
            left = 10.0 + GUTTER + (wide - len(line)) * (BOX_WIDTH + ACROSS_GAP) / 2
            for i, ident in enumerate(line):
                lines, height = placed[ident]
                boxes[ident] = (left + i * (BOX_WIDTH + ACROSS_GAP), top, height, lines)
            top += max(height for _, height in placed.values()) + DOWN_GAP
    return {ident: boxes[ident] for ident in nodes}  # drawn in the nodes' order, as across


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
