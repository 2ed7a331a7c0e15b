"""The square card thumbnail: which part of a picture it keeps.

    a focus [x, y]   the square around that point (fractions of the width and height),
                     pushed inside the picture at its edges
    a photo          its centre (the focus [0.5, 0.5])
    a graphic        the whole picture, scaled into the square and padded with the colour
                     its edges have most (letterboxed), so no text of a brand card or a
                     chart is cut in half

A graphic is any source that is not a JPEG (PNG, GIF, WebP: drawings, cards, charts,
screenshots), the encoder's own rule for choosing lossless formats (encode.py). A
graphic with a focus is cropped like a photo: staff who name a point want a crop.
"""

from __future__ import annotations

from collections import Counter

from PIL import Image, ImageOps

__all__ = ["Focus", "CENTRE", "is_graphic", "square"]

Focus = tuple[float, float]
CENTRE: Focus = (0.5, 0.5)
LANCZOS = Image.Resampling.LANCZOS


def is_graphic(source_format: str | None) -> bool:
    return source_format != "JPEG"


def square(picture: Image.Image, side: int, focus: Focus | None, graphic: bool) -> Image.Image:
    """The ``side``×``side`` thumbnail of an upright ``picture`` whose shorter side is at least ``side``."""
    if focus is None and graphic:
        return ImageOps.pad(picture, (side, side), LANCZOS, color=_edge_colour(picture))
    return picture.resize((side, side), LANCZOS, box=focus_box(picture.size, focus or CENTRE))


def focus_box(size: tuple[int, int], focus: Focus) -> tuple[int, int, int, int]:
    """The largest square of a ``size`` picture centred on ``focus`` as far as the edges allow."""
    width, height = size
    crop = min(width, height)
    left = _clamp(round(focus[0] * width - crop / 2), 0, width - crop)
    top = _clamp(round(focus[1] * height - crop / 2), 0, height - crop)
    return left, top, left + crop, top + crop


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


def _edge_colour(picture: Image.Image) -> int | tuple[int, ...]:
    """The commonest colour of the outermost rows and columns: a card's background. A
    transparent picture is padded with transparency."""
    if picture.mode == "RGBA":
        return (0, 0, 0, 0)
    width, height = picture.size
    counts: Counter[int | tuple[int, ...]] = Counter()
    for box in ((0, 0, width, 1), (0, height - 1, width, height), (0, 0, 1, height), (width - 1, 0, width, height)):
        strip = picture.crop(box)
        counts.update({colour: n for n, colour in strip.getcolors(strip.width * strip.height) or ()})
    return max(counts.items(), key=lambda item: (item[1], item[0]))[0]  # ties: the same colour every run
