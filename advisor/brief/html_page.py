"""The brief written as one self-contained HTML page: inline CSS, no scripts, every piece of text escaped."""

from __future__ import annotations

import html as html_lib
from collections.abc import Sequence

from advisor.brief.blocks import Block, Grid, Heading, Items, Notice, Para, Span
from advisor.output import printable


def to_html(blocks: Sequence[Block]) -> str:
    """Write blocks as one HTML page, escaping every piece of text."""
    title = next((b.text for b in blocks if isinstance(b, Heading)), "Brief")
    body: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            body.append(f"<h{block.level}>{_esc(block.text)}</h{block.level}>")
        elif isinstance(block, Para):
            body.append(f"<p>{_html_spans(block.spans)}</p>")
        elif isinstance(block, Notice):
            paragraphs = "".join(f"<p>{_html_spans(paragraph)}</p>" for paragraph in block.paragraphs)
            body.append(f'<aside class="notice" role="note">{paragraphs}</aside>')
        elif isinstance(block, Items):
            tag = "ol" if block.numbered else "ul"
            items = "".join(f"<li>{_html_spans(item)}</li>" for item in block.items)
            body.append(f"<{tag}>{items}</{tag}>")
        elif isinstance(block, Grid):
            head = "".join(f"<th>{_esc(h)}</th>" for h in block.header)
            rows = "".join(
                "<tr>" + "".join(f"<td>{_html_spans(c)}</td>" for c in row) + "</tr>" for row in block.rows
            )
            body.append(  # in a box that scrolls sideways when the table is wider than a phone's screen
                f'<div class="table"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'
            )
        else:
            body.append(f'<figure class="chain">{block.svg}</figure>' if block.svg else "")
            body.append(
                "<details><summary>The same chain as Mermaid source</summary>"
                f'<pre class="mermaid-source">{_esc(block.text)}</pre></details>'
            )
    return _PAGE.format(title=_esc(title), css=_CSS, body="\n".join(body))


def _esc(text: str) -> str:
    """Escape text for HTML content and attribute values, control characters visibly (``printable``)."""
    return html_lib.escape(printable(text, one_line=False), quote=True)


def _html_spans(spans: Sequence[Span]) -> str:
    """Write styled spans as HTML."""
    tags = {"b": "strong", "i": "em", "code": "code"}
    parts = []
    for style, text in spans:
        if style == "link":
            parts.append(f'<a href="{_esc(text)}">{_esc(text)}</a>')
        else:
            parts.append(f"<{tags[style]}>{_esc(text)}</{tags[style]}>" if style else _esc(text))
    return "".join(parts)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""

_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; line-height: 1.5; color: #1d1d1f; margin: 0; }
main { max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; overflow-wrap: anywhere; }
h1 { font-size: 1.8rem; border-bottom: 2px solid #333; padding-bottom: .3rem; }
h2 { font-size: 1.35rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.1rem; }
div.table { overflow-x: auto; margin: 1rem 0; }
aside.notice { border: 2px solid #b07d00; background: #fff6dc; padding: 0 1rem; margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { border: 1px solid #ccc; padding: .3rem .5rem; vertical-align: top; text-align: left; }
th { background: #f3f3f3; }
td, th { overflow-wrap: normal; }
td a { overflow-wrap: anywhere; }
code { font-family: Menlo, Consolas, monospace; font-size: .9em; background: #f4f4f4; padding: 0 .2em; }
td code, th code { white-space: nowrap; }
figure.chain { margin: 1rem 0; overflow-x: auto; }
pre.mermaid-source { background: #f8f8f8; border: 1px solid #ddd; padding: 1rem; overflow-x: auto;
  font-size: .85rem; overflow-wrap: normal; }
@media (max-width: 40rem) { main { padding: 0 .75rem; margin: 1rem auto; } }
@media print {
  main { margin: 0; max-width: none; padding: 0; }
  figure.chain { overflow: visible; break-inside: avoid; }
  figure.chain svg { min-width: 0 !important; }
  div.table { overflow: visible; }
}
"""
