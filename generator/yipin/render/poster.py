"""A share poster per case, <case page>/share.png: what people send in WeChat, which shows
link cards only for pages that sign its JS-SDK (a static site cannot).

    1080×1440, the brand's name, slogan, community and street and the site's name on the
    accent colour; below, the QR code of the case page's address (qr.py) to long-press

Drawn with Pillow from the machine's Chinese font (fonts.py), in the image stage's worker
pool and cache (images/run.py): the key covers the text, the font files' bytes and the
versions of Pillow and FreeType, so an unchanged case is never drawn again. The PNG carries
no metadata, and the same input gives the same bytes.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, NamedTuple

import PIL
from PIL import Image, ImageDraw, ImageFont, features

from yipin.cache import digest
from yipin.config import Settings
from yipin.images import RECIPE, ImageCache, Job, make_entries
from yipin.images.cache import write_entry
from yipin.images.encode import png
from yipin.render.fonts import Face, Fonts, find_fonts
from yipin.render.qr import qr_code
from yipin.site.derive import CaseView, Site

__all__ = ["POSTER", "SIZE", "PosterText", "poster_text", "prepare_posters", "draw_poster"]

POSTER = "share.png"          # beside the case page's index.html
POSTER_VERSION = 1            # bump whenever the drawing changes
SIZE = WIDTH, HEIGHT = 1080, 1440
MARGIN = 88
BAND = 1000                   # the accent band's height; the QR code sits below it
QR_SIDE, QR_BORDER = 368, 2   # px, and the quiet zone in modules (the white page adds more)
ACCENT, WHITE, PALE, INK, MUTED = "#b3261e", "#ffffff", "#f6d5d2", "#1a1a1a", "#4d4d4d"  # as yipin.css
# Closing punctuation never starts a line (it is pulled back to the line before).
_CLOSING = set("，。、；：！？）》」』”’…,.;:!?)")
_WORD = re.compile(r"[A-Za-z0-9@#&'._-]+ ?|.", re.DOTALL)


class PosterText(NamedTuple):
    brand: str
    slogan: str
    place: str      # 连江社区 · 清城区洲心街道
    site: str
    url: str        # the case page's absolute address


def poster_text(case: CaseView, settings: Settings) -> PosterText:
    record = case.record
    return PosterText(record.brand.name, record.brand.slogan or "", case.place_line, settings.site_name,
                      settings.absolute(case.url))


def prepare_posters(site: Site, cache: ImageCache, workers: int = 0) -> dict[str, str]:
    """Case id → its poster file in the image cache, drawn where the cache lacks it."""
    fonts = find_fonts()
    version = _version(fonts, cache)
    keys: dict[str, str] = {}
    jobs: dict[str, Job] = {}
    for case in site.cases:
        text = poster_text(case, site.settings)
        keys[case.id] = key = digest(version, tuple(text))
        jobs.setdefault(key, Job(f"案例“{case.id}”的分享海报", make_poster, (text, fonts, cache.entry(key))))
    make_entries(jobs, cache, workers, "绘制分享海报")
    return {case_id: os.path.join(cache.entry(key), POSTER) for case_id, key in keys.items()}


def _version(fonts: Fonts, cache: ImageCache) -> str:
    """Everything but the text that changes a poster's bytes."""
    faces = [(cache.sha256(face.path), face.index) for face in fonts]
    return digest(POSTER_VERSION, faces, PIL.__version__, features.version("freetype2"), RECIPE.png_compress_level)


def make_poster(text: PosterText, fonts: Fonts, entry: str) -> dict[str, Any]:
    """The worker's job: the poster's cache entry."""
    def fill(folder: Path) -> dict[str, Any]:
        (folder / POSTER).write_bytes(draw_poster(text, fonts))
        return {"width": WIDTH, "height": HEIGHT}
    return write_entry(entry, fill)


def draw_poster(text: PosterText, fonts: Fonts) -> bytes:
    poster = Image.new("RGB", SIZE, WHITE)
    draw = ImageDraw.Draw(poster)
    draw.rectangle((0, 0, WIDTH, BAND), fill=ACCENT)
    width = WIDTH - 2 * MARGIN
    y = _lines(draw, [text.site], _font(fonts.regular, 36), MARGIN, 96, PALE)
    y = _lines(draw, *_fit(text.brand, fonts.bold, (116, 100, 86, 72), width, 3), MARGIN, y + 96, WHITE)
    if text.slogan:
        y = _lines(draw, _wrap(text.slogan, _font(fonts.regular, 50), width, 2), _font(fonts.regular, 50),
                   MARGIN, y + 40, WHITE)
    place = _font(fonts.regular, 40)
    lines = _wrap(text.place, place, width, 2)
    _lines(draw, lines, place, MARGIN, BAND - 72 - _height(place) * len(lines), PALE)
    _qr(poster, text.url, (MARGIN - 16, BAND + 36))
    left = MARGIN + QR_SIDE + 24
    y = _lines(draw, ["长按识别二维码"], _font(fonts.bold, 48), left, BAND + 110, INK)
    _lines(draw, _wrap("打开案例全文和可复制要点", _font(fonts.regular, 34), WIDTH - MARGIN - left, 2),
           _font(fonts.regular, 34), left, y + 24, MUTED)
    return png(poster, RECIPE)


def _font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(face.path, size, index=face.index)


def _height(font: ImageFont.FreeTypeFont) -> int:
    return round(font.size * 1.35)


def _lines(draw: ImageDraw.ImageDraw, lines: list[str], font: ImageFont.FreeTypeFont, x: int, y: int,
           fill: str) -> int:
    """Draw ``lines`` from the top ``y``; returns the y below the last."""
    for line in lines:
        draw.text((x, y), line, font=font, fill=fill)
        y += _height(font)
    return y


def _fit(text: str, face: Face, sizes: tuple[int, ...], width: int,
         most: int) -> tuple[list[str], ImageFont.FreeTypeFont]:
    """The largest of ``sizes`` at which ``text`` takes at most two lines (else the smallest)."""
    for size in sizes:
        font = _font(face, size)
        lines = _wrap(text, font, width, most)
        if len(lines) <= 2:
            break
    return lines, font


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int, most: int) -> list[str]:
    """Lines of at most ``width`` px: Chinese breaks between any two characters, a Latin word
    or number stays whole; beyond ``most`` lines the last ends in “…”."""
    lines = [""]
    for token in _WORD.findall(text):
        if lines[-1] and font.getlength(lines[-1] + token.rstrip()) > width and token not in _CLOSING:
            lines.append(token.lstrip())
        else:
            lines[-1] += token
    if len(lines) > most:
        last = lines[most - 1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        lines = [*lines[:most - 1], last.rstrip() + "…"]
    return [line.rstrip() for line in lines]


def _qr(poster: Image.Image, url: str, at: tuple[int, int]) -> None:
    """The code, each module a whole number of pixels (sharp for a phone's camera)."""
    matrix = qr_code(url).matrix
    count = len(matrix) + 2 * QR_BORDER
    module = max(1, QR_SIDE // count)
    offset = (QR_SIDE - module * count) // 2 + QR_BORDER * module
    draw = ImageDraw.Draw(poster)
    for row, bits in enumerate(matrix):
        for column, bit in enumerate(bits):
            if bit:
                x, y = at[0] + offset + column * module, at[1] + offset + row * module
                draw.rectangle((x, y, x + module - 1, y + module - 1), fill=INK)
