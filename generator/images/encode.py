"""One source image → its variants, with Pillow's fast paths (measured in FINDINGS.md).

    decode once, in JPEG draft mode: libjpeg scales by 1/2, 1/4 or 1/8 in the DCT domain,
        never below the largest variant (−40% of the time)
    Lanczos to the largest width with reducing_gap (whole-factor reduce() first, −10%)
    convert to sRGB from an embedded ICC profile, on the small image
    apply the EXIF orientation after downscaling (as ImageOps.exif_transpose would), so
        the rotation moves 2 MP, not 12
    each smaller width resized from the previous one (−26% on portraits)
    save without any metadata: no EXIF (GPS, camera), XMP, ICC or comments

Runs in worker processes: a top-level function on picklable arguments, no global state
but the sRGB profile. Output bytes depend only on the source and the recipe.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import ExifTags, Image, ImageCms, ImageOps

from .cache import commit_entry, new_staging
from .plan import Recipe, plan_widths, scaled_height

__all__ = ["make_entry", "encode"]

LANCZOS = Image.Resampling.LANCZOS
TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
             5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
             8: Image.Transpose.ROTATE_90}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def make_entry(source: Path, entry: str, recipe: Recipe) -> dict[str, Any]:
    """The worker's job: write the entry for ``source`` into the cache; returns its meta."""
    staging = new_staging(Path(entry))
    meta = encode(source, staging, recipe)
    commit_entry(staging, Path(entry), meta)
    return meta


def encode(source: Path, folder: Path, recipe: Recipe) -> dict[str, Any]:
    """Write every variant of ``source`` into ``folder``; returns the description (meta)."""
    with Image.open(source) as image:
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
        turned = orientation in (5, 6, 7, 8)
        width, height = (image.height, image.width) if turned else image.size   # as the viewer sees it
        widths = plan_widths(width, recipe)
        top = (widths[-1], scaled_height(width, height, widths[-1]))
        image.draft("RGB", top[::-1] if turned else top)  # JPEG only; a no-op for other formats
        graphic = image.format != "JPEG"   # screenshots, drawings: lossless may be smaller
        icc = image.info.get("icc_profile")
        frame = _decode(image, icc)
        if image.mode == "CMYK":
            icc = None  # _decode has converted it
    raw_top = top[::-1] if turned else top
    if frame.size != raw_top:
        frame = frame.resize(raw_top, LANCZOS, reducing_gap=recipe.reducing_gap)
    frame = _to_srgb(frame, icc)
    if orientation in TRANSPOSE:
        frame = frame.transpose(TRANSPOSE[orientation])

    variants: list[list[Any]] = []
    frames = []
    for w in reversed(widths):
        size = (w, scaled_height(width, height, w))
        if frame.size != size:
            frame = frame.resize(size, LANCZOS)
        frames.append(frame)
        variants += _save(frame, folder, str(w), graphic, recipe)
    side = min(recipe.thumb, width, height)
    base = next(f for f in reversed(frames) if min(f.size) >= side)
    variants += _save(ImageOps.fit(base, (side, side), LANCZOS), folder, "thumb", graphic, recipe)
    return {"width": width, "height": height, "colour": _average_colour(frames[-1]), "variants": variants}


def _decode(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Decode into a new RGB, RGBA or L image (the caller closes the file)."""
    alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    if image.mode == "CMYK" and icc and not alpha:
        converted = _to_srgb(image, icc)
        if converted.mode == "RGB":
            return converted
    target = "RGBA" if alpha else ("L" if image.mode in ("1", "L") else "RGB")
    return image.convert(target) if image.mode != target else image.copy()


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
    fallback = _png(frame, recipe) if frame.mode == "RGBA" else _jpeg(frame, recipe)
    if graphic:
        webp = min(webp, _webp(frame, True, recipe), key=len)
        fallback = min(fallback, _png(frame, recipe), key=len)
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


def _png(frame: Image.Image, recipe: Recipe) -> bytes:
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
