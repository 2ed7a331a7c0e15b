"""QR codes of page URLs: as inline SVG, for printing on bulletin boards, and as the
module matrix the share posters draw (segno: pure Python, deterministic output)."""

from __future__ import annotations

import re
from html import escape

import segno

__all__ = ["qr_code", "qr_svg"]

SCALE = 4    # CSS pixels per module
BORDER = 2   # quiet zone, in modules (readers cope with 2; the page's white margin adds more)
_DARK_RUN = re.compile(rb"\x01+")


def qr_code(url: str) -> segno.QRCode:
    """The code of ``url``; its ``matrix`` is rows of bytes, 1 for a dark module."""
    # A fixed mask: scoring all eight (segno's default) took 80 % of the time on a large
    # site, and any mask is valid — readers take it from the code's format information.
    return segno.make(url, error="m", micro=False, mask=0)


def qr_svg(url: str, label: str) -> str:
    """An accessible inline <svg> that encodes ``url``."""
    code = qr_code(url)
    side = len(code.matrix) + 2 * BORDER
    # One stroke per run of dark modules in a row, written here rather than by segno's
    # SVG writer, which took as long as the encoding itself.
    path = "".join(f"M{run.start() + BORDER} {y + BORDER}.5h{run.end() - run.start()}"
                   for y, row in enumerate(code.matrix) for run in _DARK_RUN.finditer(row))
    label = escape(label)
    return (f'<svg role="img" aria-label="{label}" class="yp-qr-code" width="{side * SCALE}" height="{side * SCALE}"'
            f' viewBox="0 0 {side} {side}"><title>{label}</title><rect width="{side}" height="{side}" fill="#fff"/>'
            f'<path stroke="#000" shape-rendering="crispEdges" d="{path}"/></svg>')
