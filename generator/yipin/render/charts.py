"""Charts drawn at build time as static, accessible SVG: no chart library in the browser.

``bar_chart`` turns (label, value) rows into a horizontal bar chart, one row per label:
the label on its own line, then the bar and its value. Lengths are in em and per cent, so
the chart follows the text size (长辈模式 enlarges it) and the column's width without a
viewBox that would shrink the text on a phone. Colours come from presentation attributes,
which the stylesheet overrides with the theme's colours (dark mode too): no ``style``
attribute, nothing the Content-Security-Policy would have to allow.

The SVG is an image with a title and a description (``role="img"``, ``aria-labelledby``);
the page shows the same figures as a table. Every text is written as plain text
(render/plain.py): a label with markup in it stays text in the HTML and in the Markdown
around it. The same rows give the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markupsafe import Markup

from yipin.render.plain import plain

__all__ = ["bar_chart"]

ROW = 2.6          # em per row: the label's line, then the bar
TOP = 0.2          # em above the first row
BAR = 0.8          # em: the bar's thickness
LONGEST = 80       # per cent of the width for the largest value; the rest holds its figure
ACCENT = "#b3261e"  # fallbacks without the stylesheet (yipin.css sets the theme's colours)
TRACK = "#ececec"
INK = "#1f1f1f"
_IDENT = re.compile(r"^[a-z][a-z0-9-]*$")


def bar_chart(rows: Sequence[tuple[str, int]], *, ident: str, title: str, description: str = "",
              unit: str = "") -> Markup:
    """An SVG bar chart of ``rows`` (label, value ≥ 0). ``ident`` (lower-case ASCII) names
    its title and description for aria-labelledby, so it must be unique on the page;
    ``unit`` follows each value ("个")."""
    if not _IDENT.match(ident):
        raise ValueError(f"chart ident {ident!r}: lower-case letters, digits and '-' only")
    if any(value < 0 for _, value in rows):
        raise ValueError("chart values are counts: none may be negative")
    largest = max((value for _, value in rows), default=0)
    height = _number(TOP * 2 + ROW * len(rows))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="yp-chart__svg" role="img" width="100%" height="{height}em"'
        f' aria-labelledby="{ident}-title{f" {ident}-desc" if description else ""}">',
        f'<title id="{ident}-title">{plain(title)}</title>',
    ]
    if description:
        parts.append(f'<desc id="{ident}-desc">{plain(description)}</desc>')
    for index, (label, value) in enumerate(rows):
        top = TOP + index * ROW
        width = _number(LONGEST * value / largest) if largest else "0"
        bar_top = _number(top + 1.45)
        parts.append(
            '<g class="yp-chart__row">'
            f'<text class="yp-chart__label" x="0" y="{_number(top + 1.05)}em" fill="{INK}">{plain(label)}</text>'
            f'<rect class="yp-chart__track" x="0" y="{bar_top}em" width="{LONGEST}%" height="{BAR}em" fill="{TRACK}"/>'
            f'<rect class="yp-chart__bar" x="0" y="{bar_top}em" width="{width}%" height="{BAR}em" fill="{ACCENT}"/>'
            f'<text class="yp-chart__value" x="{width}%" dx="0.4em" y="{_number(top + 2.15)}em" fill="{INK}">'
            f"{value}{plain(unit)}</text>"
            "</g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _number(value: float) -> str:
    """At most two decimals, no trailing zeros: the same text for the same figure."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
