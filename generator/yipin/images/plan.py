"""The image recipe and the plan: every option with its default in one place, which widths a
source yields, the cache key and the published names. Pure: nothing here decodes a pixel.

Published names carry a hash of the source bytes and of the recipe, so a browser may cache
them forever and a changed photo or recipe gets new URLs (images/<hash8>/<name>-960.webp).
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import unicodedata
from dataclasses import asdict, dataclass

import PIL

__all__ = ["MAX_SIDE", "RECIPE", "Recipe", "cache_key", "plan_widths", "public_name", "public_path", "scaled_height",
           "thumb_side", "widest"]

RECIPE_VERSION = 4  # bump whenever the encoder's output bytes or the entries' meta.json change
MAX_SIDE = 16383    # px per side that WebP can hold (JPEG's 65535 is never the tighter one)


@dataclass(frozen=True)
class Recipe:
    widths: tuple[int, ...] = (480, 960, 1600)  # responsive widths in CSS px of a phone to a desktop column
    thumb: int = 320                            # side of the square card thumbnail
    min_step: float = 1.1                       # a width within 10% of the source's own adds nothing: skipped
    webp_quality: int = 80
    webp_method: int = 4                        # 0–6: 4 costs half of 6 for 2–3% more bytes (FINDINGS.md)
    jpeg_quality: int = 82                      # progressive; optimize=True adds nothing on top
    png_compress_level: int = 6                 # zlib effort for graphics: 9 saves ~5% for 3× the time
    reducing_gap: float = 3.0                   # Pillow reduce() by whole factors before Lanczos: −10% time

    def fingerprint(self) -> str:
        """Everything that changes the pixels or bytes of a variant, Pillow's version included."""
        settings = {**asdict(self), "version": RECIPE_VERSION, "pillow": PIL.__version__}
        return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()


RECIPE = Recipe()


def plan_widths(width: int, recipe: Recipe = RECIPE) -> tuple[int, ...]:
    """The widths of the variants when the widest may be ``width`` px (a source's widest()):
    never upscaled, so a 600 px source gives 480 and 600, a 300 px one only 300."""
    top = min(width, max(recipe.widths))
    return (*(w for w in recipe.widths if w * recipe.min_step <= top), top)


def widest(width: int, height: int) -> int:
    """The widest variant a ``width``×``height`` source may have: its own width, and narrower
    where the height would not fit in a WebP (a tall infographic), the aspect kept. 0 when
    even 1 px wide would be too tall."""
    return min(width, MAX_SIDE, MAX_SIDE * width // height)


def thumb_side(width: int, height: int, recipe: Recipe = RECIPE) -> int:
    """Side of the square thumbnail: never upscaled."""
    return min(recipe.thumb, width, height)


def scaled_height(width: int, height: int, to_width: int) -> int:
    """Height at ``to_width``, always from the source's own size (so chained resizes and the
    markup agree to the pixel)."""
    return max(1, round(height * to_width / width))


def cache_key(source_sha256: str, fingerprint: str, focus: tuple[float, float] | None = None) -> str:
    """The entry of one source made with one recipe; the thumbnail's focus changes its pixels."""
    where = f":{focus[0]!r},{focus[1]!r}" if focus else ""
    return hashlib.sha256(f"{source_sha256}:{fingerprint}{where}".encode()).hexdigest()


def public_name(src: str) -> str:
    """An ASCII URL part from a file name: '江湾 Park.JPG' → 'park'; 'image' if nothing is left."""
    stem = posixpath.splitext(posixpath.basename(src))[0]
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:60] or "image"


def public_path(key: str, name: str, label: str, extension: str) -> str:
    """Site-relative URL of one variant: images/<hash8>/<name>-<label>.<ext>."""
    return f"images/{key[:8]}/{name}-{label}.{extension}"
