"""One source image → its variants, with Pillow's fast paths (measured in FINDINGS.md).

    open with the plugins of the formats we publish from only (never EPS, which runs
        Ghostscript, nor PSD, TIFF, …)
    decode once, in JPEG draft mode: libjpeg scales by 1/2, 1/4 or 1/8 in the DCT domain,
        never below the largest variant nor the thumbnail (−40% of the time)
    the first frame only, as 8-bit L, RGB or RGBA: 16-bit and float grey scaled, not
        clipped; palettes, grey with alpha, 1-bit and CMYK converted (decode(), which
        `yipin check` runs too, so what it accepts can be made)
    Lanczos to the largest width with reducing_gap (whole-factor reduce() first, −10%)
    convert to sRGB from an embedded ICC profile, on the small image
    apply the EXIF orientation after downscaling (as ImageOps.exif_transpose would), so
        the rotation moves 2 MP, not 12
    each smaller width resized from the previous one (−26% on portraits)
    the square thumbnail around the focus, or a graphic whole (crop.py)
    save without any metadata: no EXIF (GPS, camera), XMP, ICC or comments

Runs in worker processes: a top-level function on picklable arguments, no global state
but the sRGB profile. Output bytes depend only on the source and the recipe.
"""

from __future__ import annotations

import io
from functools import partial
from pathlib import Path
from typing import Any

from PIL import ExifTags, Image, ImageCms, ImageMath

from yipin.images.cache import write_entry
from yipin.images.crop import Focus, is_graphic, square
from yipin.images.plan import Recipe, plan_widths, scaled_height, thumb_side, widest

__all__ = ["FORMATS", "make_entry", "encode", "png", "open_image", "orientation", "upright_size", "decode"]

FORMATS = ("JPEG", "PNG", "WEBP", "GIF")  # the only plugins Image.open may try
LANCZOS = Image.Resampling.LANCZOS
TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
             5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
             8: Image.Transpose.ROTATE_90}
# Grey deeper than 8 bits, by the value that is white. PNG gives I;16; the others are the
# same pixels as other plugins or Pillow versions hand them out (16-bit PNGs used to open as I).
FULL_SCALE = {"I;16": 65535, "I;16B": 65535, "I;16L": 65535, "I;16N": 65535, "I": 65535, "F": 1.0}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def make_entry(source: Path, entry: str, recipe: Recipe, focus: Focus | None = None) -> dict[str, Any]:
    """The worker's job: write the entry for ``source`` into the cache; returns its meta."""
    return write_entry(entry, partial(encode, source, recipe=recipe, focus=focus))


def encode(source: Path, folder: Path, recipe: Recipe, focus: Focus | None = None) -> dict[str, Any]:
    """Write every variant of ``source`` into ``folder``; returns the description (meta).
    ``focus``: where the square thumbnail is centred (crop.py)."""
    with open_image(source) as image:
        turn = orientation(image)
        width, height = upright_size(image, turn)
        top_width = widest(width, height)
        if top_width < 1:  # `yipin check` reports these; here for a caller that skipped it
            raise ValueError(f"{width}×{height} 太细长，WebP 装不下")
        widths = plan_widths(top_width, recipe)
        top = (widths[-1], scaled_height(width, height, widths[-1]))
        side = thumb_side(width, height, recipe)
        # JPEG only: never below the largest variant, nor below the thumbnail on either side
        image.draft("RGB", _stored((max(top[0], side), max(top[1], side)), turn))
        graphic = is_graphic(image.format)   # screenshots, drawings: lossless may be smaller
        decoded, icc = decode(image)
    frame = decoded
    if frame.size != _stored(top, turn):
        frame = frame.resize(_stored(top, turn), LANCZOS, reducing_gap=recipe.reducing_gap)
    frame = _upright(frame, icc, turn)

    variants: list[list[Any]] = []
    frames = []
    for w in reversed(widths):
        size = (w, scaled_height(width, height, w))
        if frame.size != size:
            frame = frame.resize(size, LANCZOS)
        frames.append(frame)
        variants += _save(frame, folder, str(w), graphic, recipe)
    # the smallest variant that covers the square; a panorama's or a strip's are all too thin
    base = next((f for f in reversed(frames) if min(f.size) >= side), None)
    thumb = square(base if base is not None else _upright(decoded, icc, turn), side, focus, graphic)
    variants += _save(thumb, folder, "thumb", graphic, recipe)
    return {"width": width, "height": height, "colour": _average_colour(frames[-1]), "variants": variants}


def open_image(source: Path) -> Image.Image:
    """The source, parsed by the plugins of FORMATS only; UnidentifiedImageError otherwise."""
    return Image.open(source, formats=FORMATS)


def orientation(image: Image.Image) -> int:
    """The EXIF orientation (1–8; 1 upright)."""
    return image.getexif().get(ExifTags.Base.Orientation, 1)


def upright_size(image: Image.Image, turn: int) -> tuple[int, int]:
    """(width, height) as the viewer sees it, after the EXIF orientation ``turn``."""
    return _stored(image.size, turn)


def _stored(size: tuple[int, int], turn: int) -> tuple[int, int]:
    """A size as the viewer sees it ↔ as the file stores it (orientations 5–8 swap the sides)."""
    return (size[1], size[0]) if turn in (5, 6, 7, 8) else size


def decode(image: Image.Image) -> tuple[Image.Image, bytes | None]:
    """The first frame as a new 8-bit L, RGB or RGBA image (the caller closes the file), and
    the ICC profile still to apply to it (None once a CMYK frame has been converted)."""
    icc = image.info.get("icc_profile")
    if image.mode == "CMYK":
        return _cmyk_to_rgb(image, icc), None
    if image.mode in FULL_SCALE:
        return _eight_bit_grey(image), icc
    alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    target = "RGBA" if alpha else ("L" if image.mode in ("1", "L") else "RGB")
    return (image.convert(target) if image.mode != target else image.copy()), icc


def _cmyk_to_rgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Through the embedded profile where it works, else Pillow's naive formula."""
    converted = _to_srgb(image, icc)
    return converted if converted.mode == "RGB" else image.convert("RGB")


def _eight_bit_grey(image: Image.Image) -> Image.Image:
    """Grey of FULL_SCALE scaled to 0–255, rounded (Pillow's convert("L") clips at 255:
    a 16-bit picture would come out white); a transparent grey value becomes alpha."""
    white = FULL_SCALE[image.mode]
    exact = image.convert("F")  # a float holds every 16-bit value exactly
    grey = exact.point(lambda v: v * (255 / white) + 0.5).convert("L")
    transparent = image.info.get("transparency")
    if transparent is None:
        return grey
    opaque = ImageMath.lambda_eval(lambda args: (args["image"] != transparent) * 255, image=exact)
    return Image.merge("LA", (grey, opaque.convert("L"))).convert("RGBA")


def _upright(frame: Image.Image, icc: bytes | None, turn: int) -> Image.Image:
    """In sRGB and turned as the camera meant."""
    frame = _to_srgb(frame, icc)
    return frame.transpose(TRANSPOSE[turn]) if turn in TRANSPOSE else frame


def _to_srgb(frame: Image.Image, icc: bytes | None) -> Image.Image:
    """Colours as an sRGB screen shows them (the web's default); an unreadable profile is
    ignored rather than failing the build."""
    if not icc:
        return frame
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in ImageCms.getProfileDescription(profile).lower().replace(" ", ""):
            return frame
        if frame.mode == "RGBA":
            rgb = ImageCms.profileToProfile(frame.convert("RGB"), profile, _SRGB, outputMode="RGB")
            rgb.putalpha(frame.getchannel("A"))
            return rgb
        return ImageCms.profileToProfile(frame, profile, _SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return frame


def _save(frame: Image.Image, folder: Path, label: str, graphic: bool, recipe: Recipe) -> list[list[Any]]:
    """A WebP and a fallback of ``frame``; for a graphic, each lossless where that is smaller."""
    frame.info = {}  # resize and transpose copy the source's info (EXIF, ICC, XMP): drop it all
    webp = _webp(frame, False, recipe)
    fallback = png(frame, recipe) if frame.mode == "RGBA" else _jpeg(frame, recipe)
    if graphic:
        webp = min(webp, _webp(frame, True, recipe), key=len)
        fallback = min(fallback, png(frame, recipe), key=len)
    written = []
    for data, fmt in ((webp, "webp"), (fallback, "png" if fallback.startswith(b"\x89PNG") else "jpg")):
        (folder / f"{label}.{fmt}").write_bytes(data)
        written.append([label, fmt, frame.width, frame.height])  # the file is <label>.<format>
    return written


def _webp(frame: Image.Image, lossless: bool, recipe: Recipe) -> bytes:
    out = io.BytesIO()
    frame.save(out, "WEBP", lossless=lossless, quality=recipe.webp_quality, method=recipe.webp_method)
    return out.getvalue()


def _jpeg(frame: Image.Image, recipe: Recipe) -> bytes:
    out = io.BytesIO()
    frame.save(out, "JPEG", quality=recipe.jpeg_quality, progressive=True)
    return out.getvalue()


def png(frame: Image.Image, recipe: Recipe) -> bytes:
    """Lossless; with a palette when the picture has at most 256 colours (exact, smaller)."""
    colours = frame.getcolors(256) if frame.mode == "RGB" else None
    if colours:
        palette = Image.new("P", (1, 1))
        palette.putpalette([channel for _, rgb in sorted(colours) for channel in rgb])
        frame = frame.quantize(palette=palette, dither=Image.Dither.NONE)
    out = io.BytesIO()
    frame.save(out, "PNG", compress_level=recipe.png_compress_level)
    return out.getvalue()


def _average_colour(frame: Image.Image) -> str:
    """The placeholder shown while the picture loads: its average colour."""
    if frame.mode == "RGBA":
        frame = Image.alpha_composite(Image.new("RGBA", frame.size, "white"), frame)
    r, g, b = frame.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    return f"#{r:02x}{g:02x}{b:02x}"
