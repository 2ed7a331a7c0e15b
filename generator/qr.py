"""QR codes of page URLs, as inline SVG, for printing on bulletin boards (segno: pure
Python, deterministic output, no image library needed)."""

from __future__ import annotations

import segno

__all__ = ["qr_svg"]


def qr_svg(url: str, label: str) -> str:
    """An accessible inline <svg> that encodes ``url``."""
    # A fixed mask: scoring all eight (segno's default) took 80 % of the time on a large
    # site, and any mask is valid — readers take it from the code's format information.
    code = segno.make(url, error="m", micro=False, mask=0)
    svg = code.svg_inline(scale=4, border=2, dark="#000", light="#fff", title=label, svgclass="yp-qr-code")
    return svg.replace("<svg ", '<svg role="img" aria-label="' + label.replace('"', "&quot;") + '" ', 1)
