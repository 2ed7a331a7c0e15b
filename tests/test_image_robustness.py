"""Ordinary pictures users have, through the checker and the encoder: panoramas and strips,
very tall infographics, 16-bit and palette PNGs, grey with alpha, 1-bit, CMYK JPEGs,
animations; the formats we never open; and the files that are no image at all (missing,
a folder, a FIFO, unreadable, an iPhone HEIC). Every published variant is decoded and
compared with what the source shows; what the checker accepts, the encoder makes."""

from __future__ import annotations

import io
import json
import os
import struct
from collections.abc import Callable
from pathlib import Path

import PIL
import pytest
from PIL import EpsImagePlugin, Image, ImageCms, ImageOps, ImageStat, UnidentifiedImageError

from yipin.commands.main import main
from yipin.images import ImageCache, Picture, plan_widths, prepare_images
from yipin.images import cache as cache_module
from yipin.images.check import ImageChecker
from yipin.images.encode import encode, open_image
from yipin.images.plan import RECIPE

from .conftest import build, make_content, site_config
from .image_fixtures import (
    ANIMATION_COLOURS,
    animation,
    bilevel_png,
    camera_jpeg,
    cmyk_jpeg,
    fake_heic,
    grey16_png,
    grey_alpha_png,
    palette_png,
    rgb16_png,
    screenshot_png,
    tiny_jpeg,
)
from .system import as_a_user, deadline
from .test_gallery import _content, _file, _page, _srcset

WEBP_LIMIT = 16383  # px per side


def _prepare(tmp_path: Path, make: Callable[[Path], Path], name: str) -> Picture:
    """``make`` a source under content/, check it, and make its variants as a build does."""
    source = make(tmp_path / "content" / name)
    assert ImageChecker().problem(source) is None
    return prepare_images(tmp_path / "content", [name], ImageCache(tmp_path / "cache"), workers=1)[name]


def _saved(image: Image.Image, path: Path) -> Path:
    image.save(path)
    return path


def _opened(file: Path) -> Image.Image:
    image = Image.open(file)
    image.load()
    return image


def _on_white(image: Image.Image) -> Image.Image:
    rgba = image.convert("RGBA")
    return Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB")


def _difference(published: Image.Image, reference: Image.Image) -> float:
    """Mean absolute difference per channel (0–255), both laid on white, at the published size."""
    expected = _on_white(reference).resize(published.size, Image.Resampling.BOX)
    got = _on_white(published)
    return sum(abs(a - b) for a, b in zip(got.tobytes(), expected.tobytes(), strict=True)) / len(got.tobytes())


def _upright(source: Path) -> Image.Image:
    with Image.open(source) as image:
        return ImageOps.exif_transpose(image).convert("RGB")


def _assert_planned(picture: Picture, width: int, height: int) -> None:
    """Every variant decodes at its planned size, within WebP's limit, the aspect kept; the
    thumbnail is a square of min(320, width, height)."""
    for variants in (picture.webp, picture.fallback):
        assert [v.width for v in variants] == list(plan_widths(min(width, WEBP_LIMIT * width // height)))
        for variant in variants:
            assert _opened(variant.file).size == (variant.width, variant.height)
            assert variant.height == max(1, round(height * variant.width / width)) <= WEBP_LIMIT
    side = min(320, width, height)
    assert [_opened(v.file).size for v in picture.thumb] == [(side, side)] * 2


# -- panoramas, strips, tall pictures --------------------------------------------------

STRIPS = {  # name: (maker, the size a viewer sees)
    "panorama.jpg": (lambda p: camera_jpeg(p, (6000, 1000), seed=7), (6000, 1000)),
    "strip.jpg": (lambda p: camera_jpeg(p, (1700, 300), seed=8), (1700, 300)),
    "thin-strip.jpg": (lambda p: camera_jpeg(p, (2000, 120), seed=9), (2000, 120)),
    "turned-panorama.jpg": (lambda p: camera_jpeg(p, (1000, 6000), orientation=6, seed=10), (6000, 1000)),
    "strip.png": (lambda p: screenshot_png(p, (2000, 120)), (2000, 120)),
    "wide-line.jpg": (lambda p: tiny_jpeg(p, (30000, 10)), (30000, 10)),
}


def _prepared_to_plan(tmp_path: Path, shapes: dict[str, tuple[Callable[[Path], Path], tuple[int, int]]],
                      name: str) -> Picture:
    """The source ``name`` of ``shapes``, made, checked and prepared, its variants as planned."""
    make, (width, height) = shapes[name]
    picture = _prepare(tmp_path, make, name)
    _assert_planned(picture, width, height)
    return picture


@pytest.mark.parametrize("name", sorted(STRIPS))
def test_panoramas_and_strips_get_their_variants_and_a_centred_square(tmp_path, name):
    picture = _prepared_to_plan(tmp_path, STRIPS, name)
    side = min(320, STRIPS[name][1][1])
    expected = ImageOps.fit(_upright(tmp_path / "content" / name), (side, side), Image.Resampling.LANCZOS)
    assert _difference(_opened(picture.thumb[1].file), expected) < 4


TALL = {
    "hair.jpg": (lambda p: tiny_jpeg(p, (10, 30000)), (10, 30000)),
    "infographic.jpg": (lambda p: tiny_jpeg(p, (800, 20000)), (800, 20000)),
    "turned-hair.jpg": (lambda p: camera_jpeg(p, (30000, 10), orientation=8, seed=11), (10, 30000)),
    "infographic.png": (lambda p: screenshot_png(p, (700, 17000)), (700, 17000)),
}


@pytest.mark.parametrize("name", sorted(TALL))
def test_a_very_tall_picture_is_narrowed_to_what_webp_holds(tmp_path, name):
    picture = _prepared_to_plan(tmp_path, TALL, name)
    assert picture.height <= WEBP_LIMIT < TALL[name][1][1]
    assert _difference(_opened(picture.large.file), _upright(tmp_path / "content" / name)) < 4


def test_the_markup_of_odd_pictures_names_their_files_sizes(in_tmp):
    """`yipin check` passes, then the build does, and every width and height in the
    markup is the one of the file it names."""
    gallery = "gallery:\n" + "".join(f"  - src: images/odd/{name}\n    alt: 图片{i}\n"
                                     for i, name in enumerate(("panorama.jpg", "tall.jpg", "grey16.png", "moving.gif")))
    content = _content(in_tmp, gallery + "sources:")
    camera_jpeg(content / "images" / "odd" / "panorama.jpg", (6000, 1000), seed=12)
    tiny_jpeg(content / "images" / "odd" / "tall.jpg", (800, 20000))
    grey16_png(content / "images" / "odd" / "grey16.png")
    animation(content / "images" / "odd" / "moving.gif", "GIF")
    assert main(["check", "--content", "content"]) == 0
    site = build(site_config(in_tmp, content))
    figures = _page(site, "cases/base/").select(".yp-gallery figure")
    assert len(figures) == 4
    for figure in figures:
        img = figure.select_one("img")
        for srcset in (figure.select_one("source")["srcset"], img["srcset"]):
            for file, width in _srcset(site, "cases/base/", srcset):
                assert _opened(file).width == width
                assert max(_opened(file).size) <= WEBP_LIMIT
        link = figure.select_one("a[data-yp-lightbox]")
        large = _opened(_file(site, "cases/base/", link["href"]))
        assert large.size == (int(img["width"]), int(img["height"]))


# -- modes: each decoded and compared with what the source shows ---------------------------

def _grey16_reference(source: Path) -> Image.Image:
    """The 16-bit values scaled to 8 bits, computed here from the raw samples."""
    with Image.open(source) as image:
        values = struct.unpack(f"<{image.width * image.height}H", image.tobytes("raw", "I;16"))
        return Image.frombytes("L", image.size, bytes(round(v * 255 / 65535) for v in values))


def test_a_16_bit_grey_gradient_keeps_its_greys(tmp_path):
    picture = _prepare(tmp_path, grey16_png, "grey16.png")
    reference = _grey16_reference(tmp_path / "content" / "grey16.png")
    for variant in (*picture.webp, *picture.fallback):
        published = _opened(variant.file).convert("L")
        low, high = published.getextrema()
        assert low <= 2 and high >= 253
        assert abs(ImageStat.Stat(published).mean[0] - ImageStat.Stat(reference).mean[0]) < 1
        assert _difference(published, reference) < 2, variant.url


def test_a_transparent_16_bit_grey_keeps_its_transparency(tmp_path):
    source = tmp_path / "content" / "grey16.png"
    transparent = round(100 * 65535 / 511)  # the ramp's value in column 100 of 512
    picture = _prepare(tmp_path, lambda p: grey16_png(p, transparent=transparent), "grey16.png")
    for variant in (picture.webp[-1], picture.fallback[-1]):
        alpha = _opened(variant.file).convert("RGBA").getchannel("A")
        assert [alpha.getpixel((x, 10)) for x in (99, 100, 101)] == [255, 0, 255], variant.url
    assert picture.fallback[-1].format == "png"
    assert _difference(_opened(picture.fallback[-1].file), _grey16_reference(source)) < 2


def _pillow_view(source: Path) -> Image.Image:
    """What the source shows: its first frame, as Pillow decodes it."""
    with Image.open(source) as image:
        return image.convert("RGBA")


def _cmyk_through_profile(source: Path) -> Image.Image:
    with Image.open(source) as image:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(image.info["icc_profile"]))
        return ImageCms.profileToProfile(image, profile, ImageCms.createProfile("sRGB"), outputMode="RGB")


MODES = {  # name: (maker, what the source shows, does it keep transparency)
    "rgb16.png": (rgb16_png, _pillow_view, False),
    "rgba16.png": (lambda p: rgb16_png(p, alpha=True), _pillow_view, True),
    "palette.png": (palette_png, _pillow_view, False),
    "palette-transparent.png": (lambda p: palette_png(p, transparent=True), _pillow_view, True),
    "grey-alpha.png": (grey_alpha_png, _pillow_view, True),
    "bilevel.png": (bilevel_png, _pillow_view, False),
    "cmyk.jpg": (cmyk_jpeg, _pillow_view, False),
    "cmyk-profile.jpg": (lambda p: cmyk_jpeg(p, icc=True), _cmyk_through_profile, False),
    "animated.gif": (lambda p: animation(p, "GIF"), _pillow_view, False),
    "animated.webp": (lambda p: animation(p, "WEBP"), _pillow_view, False),
    "animated.png": (lambda p: animation(p, "PNG"), _pillow_view, False),
}


@pytest.mark.parametrize("name", sorted(MODES))
def test_every_mode_is_published_as_the_source_shows_it(tmp_path, name):
    make, view, transparent = MODES[name]
    picture = _prepare(tmp_path, make, name)
    reference = view(tmp_path / "content" / name)
    for variant in (*picture.webp, *picture.fallback):
        published = _opened(variant.file)
        assert not getattr(published, "is_animated", False), "the output is a still"
        assert _difference(published, reference) < 3, variant.url
        if transparent:
            assert published.mode in ("RGBA", "PA") or "transparency" in published.info, variant.url
            alpha = published.convert("RGBA").getchannel("A").resize((8, 8), Image.Resampling.BOX)
            expected = reference.getchannel("A").resize((8, 8), Image.Resampling.BOX)
            assert max(abs(a - b) for a, b in zip(alpha.tobytes(), expected.tobytes(), strict=True)) <= 3


def test_a_cmyk_profile_is_applied_not_ignored(tmp_path):
    picture = _prepare(tmp_path, lambda p: cmyk_jpeg(p, icc=True), "cmyk.jpg")
    with Image.open(tmp_path / "content" / "cmyk.jpg") as image:
        naive = image.convert("RGB")
    assert _difference(_opened(picture.large.file), naive) > 30  # the profile's half-strength inks


@pytest.mark.parametrize("format", ["GIF", "WEBP", "PNG"])
def test_an_animation_publishes_its_first_frame(tmp_path, format):
    picture = _prepare(tmp_path, lambda p: animation(p, format), f"moving.{format.lower()}")
    still = _opened(picture.fallback[-1].file).convert("RGB")
    centre, corner = still.getpixel((still.width // 2, still.height // 2)), still.getpixel((2, 2))
    assert max(abs(a - b) for a, b in zip(centre, (255, 255, 255), strict=True)) <= 3
    assert max(abs(a - b) for a, b in zip(corner, ANIMATION_COLOURS[0], strict=True)) <= 3


def test_odd_pictures_give_byte_identical_output(tmp_path):
    sources = {"grey16.png": grey16_png, "panorama.jpg": lambda p: camera_jpeg(p, (6000, 1000), seed=13)}
    for name, make in sources.items():
        make(tmp_path / "content" / name)
    first, second = tmp_path / "first", tmp_path / "second"
    for name in sources:
        for folder in (first / name, second / name):
            folder.mkdir(parents=True)
            encode(tmp_path / "content" / name, folder, RECIPE)
        assert {p.name: p.read_bytes() for p in (first / name).iterdir()} == \
               {p.name: p.read_bytes() for p in (second / name).iterdir()}


# -- formats we never open ------------------------------------------------------------------

OTHER_FORMATS = ["BMP", "TIFF", "EPS", "ICO", "TGA", "PCX", "PPM", "SGI", "AVIF"]


@pytest.mark.parametrize("format", OTHER_FORMATS)
def test_formats_we_do_not_publish_from_are_never_opened(tmp_path, format, monkeypatch):
    source = tmp_path / f"picture.{format.lower()}"
    Image.linear_gradient("L").convert("RGB").save(source, format)
    monkeypatch.setattr(EpsImagePlugin.EpsImageFile, "_open", lambda self: pytest.fail("the EPS parser was run"))
    code, message = ImageChecker().problem(source)
    assert (code, message) == ("image-invalid", "这个文件不是能识别的图片（支持 JPEG、PNG、WebP、GIF）：请重新导出图片")
    with pytest.raises(UnidentifiedImageError):
        open_image(source)


def test_an_iphone_heic_says_how_to_convert_it(tmp_path):
    assert ImageChecker().problem(fake_heic(tmp_path / "IMG_0001.HEIC")) == (
        "image-heic", "这是苹果手机的 HEIC 格式照片，网站不能直接使用：请把它导出为 JPEG 再放进来（Mac 的“照片”里选"
                      "“文件 → 导出”；想以后直接拍 JPEG，可把 iPhone 的“设置 → 相机 → 格式”改为“兼容性最佳”）")


# -- what the checker accepts, the encoder makes ----------------------------------------------

ODD = {
    **{name: make for name, (make, _) in {**STRIPS, **TALL}.items() if "infographic" not in name},
    **{name: make for name, (make, _, _) in MODES.items()},
    "grey16.png": grey16_png,
    "needle.png": lambda p: _saved(Image.new("L", (1, 20000), 128), p),
    "picture.bmp": lambda p: _saved(Image.new("RGB", (64, 48), "teal"), p),
    "grey16.tif": lambda p: _saved(Image.new("I;16", (64, 48), 30000), p),
    "IMG_0001.HEIC": fake_heic,
}


def test_what_the_checker_accepts_the_encoder_makes_and_nothing_else(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    verdicts = {}
    for name, make in sorted(ODD.items()):
        source = make(folder / name)
        accepted = ImageChecker().problem(source) is None
        (tmp_path / name).mkdir()
        try:
            encode(source, tmp_path / name, RECIPE)
            made = True
        except (OSError, ValueError):
            made = False
        verdicts[name] = (accepted, made)
    assert {name: v for name, v in verdicts.items() if v[0] != v[1]} == {}
    assert {name for name, (accepted, _) in verdicts.items() if not accepted} == \
           {"needle.png", "picture.bmp", "grey16.tif", "IMG_0001.HEIC"}


def test_a_source_checked_by_older_rules_is_checked_again(tmp_path):
    """A BMP passed the checker before formats were restricted; its memory must not let it through."""
    bmp = tmp_path / "content" / "old.bmp"
    bmp.parent.mkdir()
    Image.new("RGB", (64, 48), "teal").save(bmp)
    cache = tmp_path / "cache"
    cache.mkdir()
    old_index = {"pillow": PIL.__version__, "paths": {}, "entries": {},
                 "checked": {cache_module._hash_file(str(bmp)): [64, 48]}}
    (cache / "sources.json").write_text(json.dumps(old_index), encoding="utf-8")
    assert ImageChecker(ImageCache(cache)).problem(bmp)[0] == "image-invalid"


def test_a_picture_too_thin_for_any_webp_is_a_clear_error(tmp_path):
    needle = tmp_path / "needle.png"
    Image.new("L", (1, 20000), 128).save(needle)
    assert ImageChecker().problem(needle) == (
        "image-too-thin", "图片是 1×20000，高度超过宽度的 16383 倍，太细长，做不出网页图片：请把它裁剪成几张再放进来")


# -- files that are no image ----------------------------------------------------------------

MISSING = ("file-missing", "找不到这个文件：请检查路径和文件名的大小写，并确认图片已放进 content/ 下")
UNREADABLE = ("unreadable", "没有权限读取这个文件（或它所在的文件夹）：请让运行 yipin 的账号能读取它"
                            "（如 chmod a+r），或换一个有权限的账号运行")


def test_missing_a_folder_and_a_missing_parent_each_have_their_own_message(tmp_path):
    (tmp_path / "photo.jpg").mkdir()
    tiny_jpeg(tmp_path / "file.jpg")
    checker = ImageChecker()
    assert checker.problem(tmp_path / "nothere.jpg") == MISSING
    assert checker.problem(tmp_path / "file.jpg" / "inside.jpg") == MISSING  # a file where a folder should be
    assert checker.problem(tmp_path / "photo.jpg") == (
        "file-is-folder", "这是一个文件夹，不是图片文件：路径要写到里面的那张图片，如 images/xx/photo.jpg")


def test_a_fifo_given_as_an_image_is_an_error_not_a_hang(in_tmp, capsys):
    content = make_content(in_tmp)
    os.mkfifo(content / "images" / "base" / "pipe.jpg")
    case = content / "cases" / "base.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("  logo: images/base/logo.png", "  logo: images/base/pipe.jpg"), encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "logo: images/base/logo.png" in row)
    with deadline(10):
        assert main(["check", "--content", "content"]) == 1
    assert capsys.readouterr().out == (
        f"content/cases/base.yaml:{line}:9: brand.logo: 图片“images/base/pipe.jpg”："
        "这不是普通文件（可能是管道或设备文件）：请换成一张真正的图片文件\n")


def _problem_as_a_user(path: Path) -> tuple[str, str] | None:
    verdict = as_a_user(lambda: ImageChecker().problem(path))
    return tuple(verdict) if verdict else None


def test_an_unreadable_image_is_a_machine_problem_not_a_missing_file(open_folder):
    photo = tiny_jpeg(open_folder / "photo.jpg")
    assert _problem_as_a_user(photo) is None  # readable: the child really checks
    photo.chmod(0)
    assert _problem_as_a_user(photo) == UNREADABLE


def test_an_image_in_a_folder_one_may_not_enter_is_unreadable(open_folder):
    photo = tiny_jpeg(open_folder / "private" / "photo.jpg")
    photo.parent.chmod(0)
    assert _problem_as_a_user(photo) == UNREADABLE
