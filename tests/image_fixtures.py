"""Camera-like test images made at test time: a phone photo's size, noise and gradients,
EXIF with an orientation and a GPS block, XMP, a comment and an ICC profile; a PNG
screenshot; a tiny picture; and the odd pictures users have: 16-bit PNGs, palettes,
grey with alpha, 1-bit, CMYK JPEGs (with a CMYK profile built here), animations and a
fake iPhone HEIC. Used by the tests and by scripts/benchmark.py."""

from __future__ import annotations

import random
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageCms, ImageDraw, ImageFilter, PngImagePlugin

__all__ = ["camera_jpeg", "screenshot_png", "tiny_jpeg", "grey16_png", "rgb16_png", "palette_png", "grey_alpha_png",
           "bilevel_png", "cmyk_jpeg", "cmyk_profile", "animation", "fake_heic", "ANIMATION_COLOURS", "GPS_IFD", "XMP"]

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


def grey16_png(path: Path, size: tuple[int, int] = (512, 64), transparent: int | None = None) -> Path:
    """A 16-bit grey PNG (Pillow's mode I;16): a left-to-right ramp over the whole 0–65535
    range, so clipping to 8 bits would turn almost all of it white. ``transparent``: a
    16-bit grey value marked transparent (a tRNS chunk)."""
    width, height = size
    row = struct.pack(f"<{width}H", *(round(x * 65535 / (width - 1)) for x in range(width)))
    picture = Image.frombytes("I;16", size, row * height)
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, "PNG", **({} if transparent is None else {"transparency": transparent}))
    return path


def rgb16_png(path: Path, size: tuple[int, int] = (256, 64), alpha: bool = False) -> Path:
    """A 16-bit-per-channel RGB(A) PNG, written by hand since Pillow cannot save one:
    red rises left to right, green top to bottom, blue is a constant 0x8080; the alpha,
    if any, falls from opaque (left) to clear (right)."""
    width, height = size
    rows = []
    for y in range(height):
        pixels = []
        for x in range(width):
            red, green = round(x * 65535 / (width - 1)), round(y * 65535 / (height - 1))
            pixels += [red, green, 0x8080] + ([65535 - red] if alpha else [])
        rows.append(b"\0" + struct.pack(f">{len(pixels)}H", *pixels))  # filter type 0 per row
    header = struct.pack(">IIBBBBB", width, height, 16, 6 if alpha else 2, 0, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"".join(rows)))
                     + _chunk(b"IEND", b""))
    return path


def palette_png(path: Path, size: tuple[int, int] = (300, 200), transparent: bool = False) -> Path:
    """An 8-bit palette PNG (mode P) of four colour bands; ``transparent``: the first band's
    palette entry is fully transparent."""
    picture = Image.new("P", size, 0)
    picture.putpalette([255, 0, 0, 0, 160, 0, 0, 0, 255, 250, 200, 0])
    draw = ImageDraw.Draw(picture)
    for band in range(1, 4):
        draw.rectangle((band * size[0] // 4, 0, size[0], size[1]), fill=band)
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, "PNG", **({"transparency": 0} if transparent else {}))
    return path


def grey_alpha_png(path: Path, size: tuple[int, int] = (300, 200)) -> Path:
    """Grey with alpha (mode LA): a ramp, its left half fully transparent."""
    grey = Image.linear_gradient("L").resize(size)
    alpha = Image.new("L", size, 255)
    alpha.paste(0, (0, 0, size[0] // 2, size[1]))
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.merge("LA", (grey, alpha)).save(path, "PNG")
    return path


def bilevel_png(path: Path, size: tuple[int, int] = (300, 200)) -> Path:
    """A 1-bit PNG (mode 1): black top half, white bottom half."""
    picture = Image.new("1", size, 1)
    ImageDraw.Draw(picture).rectangle((0, 0, size[0], size[1] // 2 - 1), fill=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, "PNG")
    return path


def cmyk_jpeg(path: Path, size: tuple[int, int] = (600, 400), icc: bool = False) -> Path:
    """A CMYK JPEG as print workflows export it: cyan rising left to right, magenta top to
    bottom, yellow and black constant; ``icc``: with the CMYK profile of cmyk_profile()."""
    cyan, magenta = Image.linear_gradient("L").rotate(90).resize(size), Image.linear_gradient("L").resize(size)
    picture = Image.merge("CMYK", (cyan, magenta, Image.new("L", size, 40), Image.new("L", size, 20)))
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, "JPEG", quality=95, **({"icc_profile": cmyk_profile()} if icc else {}))
    return path


def cmyk_profile() -> bytes:
    """A small but real ICC v2 CMYK output profile (lut8 A2B0 to Lab). Its inks print at
    half strength, so colours through it are much lighter than Pillow's naive CMYK → RGB:
    a test can tell whether the profile was applied."""
    grid = b"".join(_lab_bytes(*(255 * (1 - 0.5 * c) * (1 - 0.5 * k) for c in (cyan, magenta, yellow)))
                    for cyan in (0, 1) for magenta in (0, 1) for yellow in (0, 1) for k in (0, 1))
    identity = bytes(range(256))
    lut = (b"mft1\0\0\0\0" + bytes((4, 3, 2, 0)) + struct.pack(">9i", *(65536 * (i % 4 == 0) for i in range(9)))
           + identity * 4 + grid + identity * 3)
    tags = [(b"desc", _description("Yipin test CMYK")), (b"wtpt", b"XYZ \0\0\0\0" + _xyz(0.9642, 1.0, 0.8249)),
            (b"A2B0", lut)]
    offset, table, data = 128 + 4 + 12 * len(tags), b"", b""
    for signature, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (struct.pack(">I", size) + b"\0" * 4 + bytes((2, 0x10, 0, 0)) + b"prtrCMYKLab " + b"\0" * 12 + b"acsp"
              + b"\0" * 24 + struct.pack(">I", 0) + _xyz(0.9642, 1.0, 0.8249) + b"\0" * 48)
    return header + struct.pack(">I", len(tags)) + table + data


ANIMATION_COLOURS = ((200, 30, 30), (30, 160, 60), (40, 60, 220))  # frame by frame; the first is what a still shows


def animation(path: Path, format: str, size: tuple[int, int] = (240, 160)) -> Path:
    """An animation of three flat frames (ANIMATION_COLOURS), the first with a white square
    in the middle: GIF, WEBP (animated WebP) or PNG (APNG)."""
    frames = [Image.new("RGB", size, colour) for colour in ANIMATION_COLOURS]
    ImageDraw.Draw(frames[0]).rectangle((size[0] // 3, size[1] // 3, 2 * size[0] // 3, 2 * size[1] // 3), fill="white")
    path.parent.mkdir(parents=True, exist_ok=True)
    frames[0].save(path, format, save_all=True, append_images=frames[1:], duration=100, loop=0,
                   **({"lossless": True} if format == "WEBP" else {}))
    return path


def fake_heic(path: Path) -> Path:
    """The start of an iPhone HEIC photo: a valid ISO-BMFF ftyp box (brand heic) and an
    empty meta box; no image data (Pillow cannot open HEIC anyway)."""
    ftyp = b"ftypheic" + struct.pack(">I", 0) + b"mif1heic"
    meta = b"meta" + b"\0" * 4
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(struct.pack(">I", 4 + len(ftyp)) + ftyp + struct.pack(">I", 4 + len(meta)) + meta)
    return path


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _xyz(x: float, y: float, z: float) -> bytes:
    return struct.pack(">3i", *(round(v * 65536) for v in (x, y, z)))


def _description(text: str) -> bytes:
    """An ICC v2 textDescriptionType: ASCII, then empty Unicode and ScriptCode parts."""
    ascii_text = text.encode("ascii") + b"\0"
    return b"desc\0\0\0\0" + struct.pack(">I", len(ascii_text)) + ascii_text + b"\0" * 8 + b"\0" * 3 + b"\0" * 67


def _lab_bytes(red: float, green: float, blue: float) -> bytes:
    """sRGB (0–255) → ICC v2 8-bit Lab (D50): L* × 255/100, a* and b* + 128."""
    linear = [((c / 255 + 0.055) / 1.055) ** 2.4 if c / 255 > 0.04045 else c / 255 / 12.92 for c in (red, green, blue)]
    matrix = ((0.4360747, 0.3850649, 0.1430804), (0.2225045, 0.7168786, 0.0606169), (0.0139322, 0.0971045, 0.7141733))
    x, y, z = (sum(m * c for m, c in zip(row, linear, strict=True)) for row in matrix)
    f = [t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116 for t in (x / 0.9642, y, z / 0.8249)]
    lab = (116 * f[1] - 16) * 255 / 100, 500 * (f[0] - f[1]) + 128, 200 * (f[1] - f[2]) + 128
    return bytes(max(0, min(255, round(v))) for v in lab)


def _icc() -> bytes:
    """An embedded colour profile, as cameras write (here sRGB, the one Pillow can make)."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
