"""The class report for instructors, as Markdown or as one self-contained HTML file.

Both say the same things in the same order: the spread of codings per fact (most
contested first), predictions against what happened, the submissions whose
disagreements changed the advice, then the class table. The HTML draws its
charts as inline SVG, built here from the numbers: no script, no network, no
fonts to fetch, so the file renders offline in any browser.
"""

from __future__ import annotations

import html as html_lib

from advisor.brief.markdown_text import md_text
from advisor.exercise.grade import ClassGrades, FactSpread, Predictions
from advisor.exercise.model import PARTS
from advisor.facts import fact_label
from advisor.outcomes import OUTCOME_IDS, label
from advisor.output import printable
from advisor.render.exercise import PART_NAMES

MAX_SPREAD_ROWS = 40  # the most contested (scenario, fact) pairs shown; the JSON has them all
BAR = 20  # characters of a text bar in Markdown
COLOURS = ("#2e7d32", "#c62828", "#ef6c00", "#6a1b9a", "#1565c0", "#5d4037", "#00838f", "#9e9d24")


def _contested(grades: ClassGrades) -> list[FactSpread]:
    return [s for s in grades.spread() if s.disagreement > 0][:MAX_SPREAD_ROWS]


def _summary(grades: ClassGrades) -> str:
    mean = grades.mean()
    text = f"{len(grades.graded)} submissions graded, {len(grades.rejected)} rejected"
    return text + (f"; mean score {mean:g} / 100." if mean is not None else ".")


# --- Markdown -----------------------------------------------------------------------------------


def markdown(grades: ClassGrades) -> str:
    """Return the class report as Markdown (text bars stand in for the charts)."""
    pack = grades.pack
    out = [
        f"# Class report: {_md(pack.title)}",
        "",
        f"Pack `{_plain(pack.id)}`, version {_md(pack.version)}. {_summary(grades)}",
        "",
    ]
    out += ["## The most contested facts", ""]
    contested = _contested(grades)
    if not contested:
        out.append("Every submission agrees with the reference on every fact.")
    else:
        out.append(_md_row(["scenario", "fact", "reference", "agree", "codings", "change the advice"]))
        out.append(_md_row(["---"] * 6))
        for s in contested:
            codings = ", ".join(f"{v} {n}" for v, n in s.counts.items())
            agree = f"{_bar(s.agree / s.total)} {s.agree}/{s.total}"
            out.append(
                _md_row(
                    [s.scenario, fact_label(s.fact), str(_value(s.reference)), agree, codings, str(s.changed)]
                )
            )
    out += ["", "## Predictions against what happened", ""]
    out.append(_md_row(["scenario", "happened", "reference advice", "predictions"]))
    out.append(_md_row(["---"] * 4))
    for p in grades.predictions():
        shown = ", ".join(f"**{o} {n}**" if o == p.actual else f"{o} {n}" for o, n in p.counts.items() if n)
        out.append(_md_row([p.scenario, p.actual, p.reference, shown]))
    out += ["", "## Submissions whose disagreements changed the advice", ""]
    changed = grades.changed()
    if not changed:
        out.append("None: every coding gives the reference's advice.")
    for fb in changed:
        decisive = (
            ", ".join(fact_label(f.fact) for f in fb.decisive) or "no single fact; their differences together"
        )
        out.append(
            f"- {_md(fb.submission.student)}, `{_plain(fb.scenario.id)}`: "
            f"{label(fb.your_recommendation)} instead of "
            f"{label(fb.reference_recommendation)} (decisive: {decisive})"
        )
    out += ["", "## Scores", "", _md_row(["student", "scenario", "score", *(PART_NAMES[p] for p in PARTS)])]
    out.append(_md_row(["---"] * (3 + len(PARTS))))
    for row in grades.rows():
        cells = [
            _md(row["student"]),
            _plain(row["scenario"]),
            f"{row['score']:.1f}",
            *(f"{row[p]:.1f}" for p in PARTS),
        ]
        out.append(_md_row(cells))
    if grades.rejected:
        out += ["", "## Rejected submissions", ""]
        out += [f"- {_md(str(r))}" for r in grades.rejected]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """Escape a text from a file for Markdown: markup and control characters alike (``md_text``)."""
    return md_text(text)


def _plain(text: object) -> str:
    """Return an identifier or value for a Markdown table, control characters and ``|`` escaped."""
    return printable(str(text)).replace("|", "\\|")


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(printable(cell) for cell in cells) + " |"


def _bar(share: float) -> str:
    filled = round(share * BAR)
    return "█" * filled + "░" * (BAR - filled)


def _value(value: object) -> object:
    return ("true" if value else "false") if isinstance(value, bool) else value


# --- HTML -------------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Escape a text for HTML, its control characters visibly (``advisor.output.printable``)."""
    return html_lib.escape(printable(text))


STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; padding: 0 1.5em; max-width: 70em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
td { white-space: nowrap; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
svg text { font-family: system-ui, sans-serif; font-size: 12px; }
svg.chart { max-width: 100%; height: auto; }
svg text.codings { fill: #333; }
svg .muted { fill: #666; }
.muted { color: #666; }
div.table { overflow-x: auto; }
@media print {
  body { margin: 0; padding: 0; max-width: none; }
  svg.chart { break-inside: avoid; }
  div.table { overflow: visible; }
  td { white-space: normal; }
  table { font-size: 0.85em; }
}
"""


def html(grades: ClassGrades) -> str:
    """Return the class report as one self-contained HTML page with inline SVG charts."""
    pack = grades.pack
    body = [
        f"<h1>Class report: {escape(pack.title)}</h1>",
        f"<p>Pack <code>{escape(pack.id)}</code>, version {escape(pack.version)}. "
        f"{escape(_summary(grades))}</p>",
        "<h2>The most contested facts</h2>",
        "<p class='muted'>Each bar is the class's codings of one fact of one scenario, the reference "
        "value first (in green); the line under a bar names its codings and counts from left to right. "
        "The most contested come first.</p>",
        _spread_svg(_contested(grades)),
        "<h2>Predictions against what happened</h2>",
        "<p class='muted'>For each scenario, how many predicted each outcome; ★ marks what happened, "
        "◆ the advisor's answer for the reference coding.</p>",
        _predictions_svg(grades.predictions()),
        "<h2>Submissions whose disagreements changed the advice</h2>",
        _html_changed(grades),
        "<h2>Scores</h2>",
        _html_scores(grades),
    ]
    if grades.rejected:
        body += ["<h2>Rejected submissions</h2>", "<ul>"]
        body += [f"<li>{escape(str(r))}</li>" for r in grades.rejected]
        body.append("</ul>")
    return (
        "<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
        f"<title>Class report: {escape(pack.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _html_scores(grades: ClassGrades) -> str:
    head = "".join(
        f"<th>{escape(h)}</th>" for h in ["student", "scenario", "score", *(PART_NAMES[p] for p in PARTS)]
    )
    rows = []
    for row in grades.rows():
        cells = f"<td>{escape(row['student'])}</td><td>{escape(row['scenario'])}</td>"
        cells += "".join(f"<td class='n'>{row[k]:.1f}</td>" for k in ("score", *PARTS))
        rows.append(f"<tr>{cells}</tr>")
    return f"<div class='table'><table><tr>{head}</tr>\n" + "\n".join(rows) + "\n</table></div>"


def _html_changed(grades: ClassGrades) -> str:
    changed = grades.changed()
    if not changed:
        return "<p>None: every coding gives the reference's advice.</p>"
    items = []
    for fb in changed:
        decisive = (
            ", ".join(fact_label(f.fact) for f in fb.decisive) or "no single fact; their differences together"
        )
        items.append(
            f"<li>{escape(fb.submission.student)}, <code>{escape(fb.scenario.id)}</code>: "
            f"{escape(label(fb.your_recommendation))} instead of "
            f"{escape(label(fb.reference_recommendation))} "
            f"(decisive: {escape(decisive)})</li>"
        )
    return "<ul>\n" + "\n".join(items) + "\n</ul>"


def _spread_svg(spread: list[FactSpread]) -> str:
    """Draw one stacked bar per (scenario, fact): the reference value first, in green; under each bar,
    its codings in words, left to right as the segments (colour is never the only way to tell them)."""
    if not spread:
        return "<p>Every submission agrees with the reference on every fact.</p>"
    left, width, row, bar = 330, 420, 42, 20
    height = row * len(spread) + 10
    parts = [_svg_open(left + width + 20, height)]
    for i, s in enumerate(spread):
        y = 5 + i * row
        name = f"{s.scenario} · {fact_label(s.fact)}"
        parts.append(f"<text x='{left - 8}' y='{y + 15}' text-anchor='end'>{escape(name)}</text>")
        x, said = float(left), []
        for j, (value, count) in enumerate(s.counts.items()):
            w = width * count / s.total
            reference = j == 0 and value == str(_value(s.reference))
            colour = COLOURS[0] if reference else COLOURS[1 + (j % 7)]
            tip = f"{value}: {count} of {s.total}"
            parts.append(
                f"<rect x='{x:.1f}' y='{y}' width='{w:.1f}' height='{bar}' fill='{colour}' stroke='white' "
                f"stroke-width='1.5'><title>{escape(tip)}</title></rect>"
            )
            if w > 8 + 7 * len(f"{value} {count}"):
                parts.append(
                    f"<text x='{x + 4:.1f}' y='{y + 15}' fill='white'>{escape(f'{value} {count}')}</text>"
                )
            said.append(f"{value} {count}" + (" (reference)" if reference else ""))
            x += w
        parts.append(
            f"<text x='{left}' y='{y + bar + 14}' class='codings'>{escape(' · '.join(said))}"
            f" <tspan class='muted'>of {s.total}</tspan></text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _svg_open(width: float, height: float) -> str:
    """Open a chart that shrinks to the page (a viewBox, so it scales rather than being cut off)."""
    return (
        f"<svg width='{width:.0f}' height='{height:.0f}' viewBox='0 0 {width:.0f} {height:.0f}' "
        "role='img' class='chart'>"
    )


def _predictions_svg(predictions: list[Predictions]) -> str:
    """Draw, per scenario, one bar per outcome: how many predicted it; mark history and the reference."""
    if not predictions:
        return "<p>No predictions.</p>"
    left, width, row, gap = 350, 360, 16, 14
    block = row * len(OUTCOME_IDS) + gap + 18
    height = block * len(predictions)
    parts = [_svg_open(left + width + 80, height)]
    for i, p in enumerate(predictions):
        top = i * block
        parts.append(f"<text x='0' y='{top + 13}' font-weight='bold'>{escape(p.scenario)}</text>")
        most = max(p.counts.values()) or 1
        for j, outcome in enumerate(OUTCOME_IDS):
            y = top + 18 + j * row
            marks = ("★" if outcome == p.actual else "") + ("◆" if outcome == p.reference else "")
            name = escape(f"{marks} {label(outcome)}")
            parts.append(f"<text x='{left - 8}' y='{y + 11}' text-anchor='end'>{name}</text>")
            count = p.counts[outcome]
            colour = COLOURS[0] if outcome == p.actual else "#90a4ae"
            bar = width * count / most
            parts.append(
                f"<rect x='{left}' y='{y}' width='{bar:.1f}' height='{row - 3}' fill='{colour}'>"
                f"<title>{escape(f'{label(outcome)}: {count} of {p.total}')}</title></rect>"
            )
            parts.append(f"<text x='{left + bar + 4:.1f}' y='{y + 11}'>{count}</text>")
    parts.append("</svg>")
    return "\n".join(parts)
