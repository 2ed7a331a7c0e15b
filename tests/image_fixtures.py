"""Camera-like test images made at test time: a phone photo's size, noise and gradients,
EXIF with an orientation and a GPS block, XMP, a comment and an ICC profile; a PNG
screenshot; a tiny picture. Used by the tests and by scripts/benchmark.py."""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageCms, ImageDraw, ImageFilter, PngImagePlugin

__all__ = ["camera_jpeg", "screenshot_png", "tiny_jpeg", "GPS_IFD", "XMP"]

GPS_IFD = 0x8825
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' \
      b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="23,41.5N"/></rdf:RDF></x:xmpmeta>'


def camera_jpeg(path: Path, size: tuple[int, int] = (4000, 3000), orientation: int = 1, seed: int = 0) -> Path:
    """A JPEG as a phone writes it: ``size`` as stored (before ``orientation``), with the
    home address's coordinates in GPS, the camera in EXIF, XMP, a comment and an ICC profile."""
    rng = random.Random(seed)
    small = (max(1, size[0] // 8), max(1, size[1] // 8))
    bands = [Image.linear_gradient("L").rotate(rng.choice((0, 90, 180, 270))).resize(small) for _ in range(3)]
    picture = Image.merge("RGB", bands)
    draw = ImageDraw.Draw(picture)
    for _ in range(30):  # shapes: edges a real scene has, so encoders work as on a photo
        x, y = rng.randrange(small[0]), rng.randrange(small[1])
        r = rng.randrange(4, max(5, min(small) // 4))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    picture = picture.filter(ImageFilter.GaussianBlur(2)).resize(size, Image.Resampling.BICUBIC)
    noise = Image.effect_noise(size, 12).convert("RGB")
    picture = Image.blend(picture, noise, 0.12)
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F], exif[0x0110] = "Yipin Phone", "Test Model X"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (23.0, 41.0, 30.0), 3: "E", 4: (113.0, 3.0, 15.0)})
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, "JPEG", quality=92, exif=exif, xmp=XMP, comment=b"home of the Li family",
                 icc_profile=_icc())
    return path


def screenshot_png(path: Path, size: tuple[int, int] = (1280, 2400)) -> Path:
    """A phone screenshot: flat colours and text-like bars, with a text chunk and EXIF."""
    picture = Image.new("RGB", size, "#f4f4f4")
    draw = ImageDraw.Draw(picture)
    for row, y in enumerate(range(40, size[1] - 60, 56)):
        draw.rectangle((40, y, 40 + (row * 97) % (size[0] - 120) + 60, y + 24), fill="#333333" if row % 3 else "#c8102e")
    exif = Image.Exif()
    exif[0x010F] = "Yipin Phone"
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "screenshot of a resident's chat")
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, "PNG", pnginfo=info, exif=exif)
    return path


def tiny_jpeg(path: Path, size: tuple[int, int] = (300, 200)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.linear_gradient("L").resize(size).convert("RGB").save(path, "JPEG", quality=90)
    return path


def _icc() -> bytes:
    """An embedded colour profile, as cameras write (here sRGB, the one Pillow can make)."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
