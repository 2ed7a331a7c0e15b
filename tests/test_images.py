"""The image pipeline on camera-like fixtures made at test time: every output decoded, sizes,
orientation, no metadata, determinism, the cache (no decoding, files untouched, changes
and removals), the parallel path, and the checker's memory of good sources."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from yipin.images import ImageCache, plan_widths, prepare_images
from yipin.images import cache as cache_module
from yipin.images.check import ImageChecker
from yipin.utils.report import to_terminal

from .image_fixtures import camera_jpeg, screenshot_png, tiny_jpeg

SOURCES = {
    "photos/landscape.jpg": lambda p: camera_jpeg(p, (4000, 3000), orientation=1, seed=1),
    "photos/rotated-6.jpg": lambda p: camera_jpeg(p, (4000, 3000), orientation=6, seed=2),
    "photos/rotated-8.jpg": lambda p: camera_jpeg(p, (2400, 1800), orientation=8, seed=3),
    "photos/screenshot.png": lambda p: screenshot_png(p, (1280, 2400)),
    "photos/tiny.jpg": lambda p: tiny_jpeg(p, (300, 200)),
}
# what a viewer sees: (width, height) after the EXIF orientation
SEEN = {"photos/landscape.jpg": (4000, 3000), "photos/rotated-6.jpg": (3000, 4000),
        "photos/rotated-8.jpg": (1800, 2400), "photos/screenshot.png": (1280, 2400), "photos/tiny.jpg": (300, 200)}
# what must never reach the site, byte for byte
PRIVATE = (b"Exif\x00\x00", b"Yipin Phone", b"Test Model X", b"adobe:ns:meta", b"GPSLatitude", b"home of the Li family",
           b"resident's chat", b"ICC_PROFILE", b"iCCP", b"eXIf", b"tEXt", b"zTXt", b"iTXt")


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("images") / "content"
    for relative, make in SOURCES.items():
        make(root / relative)
    return root


@pytest.fixture(scope="module")
def media(content):
    return prepare_images(content, sorted(SOURCES), ImageCache(content.parent / "cache"), workers=2)


def test_the_planned_widths_never_upscale():
    assert plan_widths(4000) == (480, 960, 1600)
    assert plan_widths(1600) == (480, 960, 1600)
    assert plan_widths(1000) == (480, 1000)   # 960 is within 10% of 1000: nothing gained
    assert plan_widths(600) == (480, 600)
    assert plan_widths(300) == (300,)


@pytest.mark.parametrize("src", sorted(SOURCES))
def test_every_variant_decodes_at_its_planned_size(media, src):
    picture = media[src]
    width, height = SEEN[src]
    widths = plan_widths(width)
    for variants in (picture.webp, picture.fallback):
        assert [v.width for v in variants] == list(widths)
        for variant in variants:
            with Image.open(variant.file) as image:
                image.load()
                assert image.size == (variant.width, variant.height) == (variant.width, round(height * variant.width / width))
                assert image.format == {"webp": "WEBP", "jpg": "JPEG", "png": "PNG"}[variant.format]
    side = min(320, width, height)
    for variant in picture.thumb:
        with Image.open(variant.file) as image:
            image.load()
            assert image.size == (side, side)


@pytest.mark.parametrize("src", ["photos/rotated-6.jpg", "photos/rotated-8.jpg"])
def test_the_exif_orientation_is_applied(media, content, src):
    large = media[src].webp[-1]
    assert large.height > large.width  # stored landscape, seen portrait
    with Image.open(content / src) as source:
        expected = ImageOps.exif_transpose(source).convert("RGB").resize((48, 64))
    with Image.open(large.file) as image:
        got = image.convert("RGB").resize((48, 64))
    difference = sum(abs(a - b) for a, b in zip(got.tobytes(), expected.tobytes(), strict=True)) / (48 * 64 * 3)
    assert difference < 6, "the picture is not turned the way the camera meant"


def test_no_metadata_reaches_any_output(media):
    for picture in media.values():
        for variant in picture.variants():
            data = variant.file.read_bytes()
            leaked = [marker for marker in PRIVATE if marker in data]
            assert leaked == [], f"{variant.url}: {leaked}"
            with Image.open(variant.file) as image:
                assert not image.getexif()
                assert not {"exif", "icc_profile", "xmp", "comment", "XML:com.adobe.xmp"} & set(image.info)


def test_photos_get_jpeg_and_graphics_keep_lossless_where_smaller(media):
    assert {v.format for v in media["photos/landscape.jpg"].fallback} == {"jpg"}
    with Image.open(media["photos/landscape.jpg"].large.file) as image:
        assert image.info.get("progressive")
    assert media["photos/screenshot.png"].large.format == "png"


def test_urls_carry_the_content_hash_and_the_name(media):
    picture = media["photos/landscape.jpg"]
    assert [v.url.split("/")[-1] for v in picture.webp] == ["landscape-480.webp", "landscape-960.webp",
                                                          "landscape-1600.webp"]
    assert re.fullmatch(r"images/[0-9a-f]{8}/landscape-thumb\.jpg", picture.thumb[1].url)
    assert re.fullmatch(r"#[0-9a-f]{6}", picture.colour)


def test_the_same_input_gives_byte_identical_output(media, content, tmp_path):
    again = prepare_images(content, ["photos/landscape.jpg", "photos/screenshot.png"], ImageCache(tmp_path / "cache"), workers=1)
    for src, picture in again.items():
        first = {v.url: v.file.read_bytes() for v in media[src].variants()}
        assert {v.url: v.file.read_bytes() for v in picture.variants()} == first


def _entry_files(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file() and p.name != "sources.json"}


def test_a_warm_cache_decodes_and_hashes_nothing_and_touches_no_file(media, content, monkeypatch):
    cache = content.parent / "cache"
    before = _entry_files(cache)

    def refuse(*args, **kwargs):
        raise AssertionError("an unchanged image was read again")

    monkeypatch.setattr(Image, "open", refuse)
    monkeypatch.setattr(cache_module, "_hash_file", refuse)
    again = prepare_images(content, sorted(SOURCES), ImageCache(cache), workers=2)
    assert again == media
    assert _entry_files(cache) == before


def test_a_touched_but_unchanged_image_is_hashed_not_decoded(content, tmp_path, monkeypatch):
    source = tmp_path / "content" / "a.jpg"
    tiny_jpeg(source)
    first = prepare_images(source.parent, ["a.jpg"], ImageCache(tmp_path / "cache"))
    os.utime(source, ns=(1, 1))
    monkeypatch.setattr(Image, "open", lambda *a, **k: pytest.fail("decoded an unchanged image"))
    assert prepare_images(source.parent, ["a.jpg"], ImageCache(tmp_path / "cache")) == first


def test_a_changed_image_is_made_again_under_new_urls(tmp_path):
    source = tmp_path / "content" / "a.jpg"
    tiny_jpeg(source, (300, 200))
    first = prepare_images(source.parent, ["a.jpg"], ImageCache(tmp_path / "cache"))["a.jpg"]
    tiny_jpeg(source, (320, 200))
    second = prepare_images(source.parent, ["a.jpg"], ImageCache(tmp_path / "cache"))["a.jpg"]
    assert second.large.url != first.large.url
    assert second.large.width == 320
    assert second.large.file.is_file() and first.large.file.is_file()


def test_progress_is_plain_lines_off_a_terminal(tmp_path, capsys):
    to_terminal()  # as the yipin command prints Yipin's lines
    tiny_jpeg(tmp_path / "content" / "a.jpg")
    tiny_jpeg(tmp_path / "content" / "b.jpg", (200, 300))
    prepare_images(tmp_path / "content", ["a.jpg", "b.jpg"], ImageCache(tmp_path / "cache"), workers=2)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "处理图片：2 张需要生成，0 张已有缓存"
    assert re.fullmatch(r"处理图片：完成 2 张，用时 \d+\.\d 秒", lines[-1])
    prepare_images(tmp_path / "content", ["a.jpg", "b.jpg"], ImageCache(tmp_path / "cache"))
    assert capsys.readouterr().err == ""  # nothing to do, nothing said


def test_the_checker_remembers_good_images_and_still_applies_a_lower_limit(tmp_path, monkeypatch):
    photo = camera_jpeg(tmp_path / "content" / "p.jpg", (1200, 900))
    checker = ImageChecker(ImageCache(tmp_path / "cache"))
    assert checker.problem(photo) is None
    checker.save()
    monkeypatch.setattr(Image, "open", lambda *a, **k: pytest.fail("decoded an image already checked"))
    assert ImageChecker(ImageCache(tmp_path / "cache")).problem(photo) is None
    code, message = ImageChecker(ImageCache(tmp_path / "cache"), max_pixels=1_000_000).problem(photo)
    assert code == "image-too-large" and "1200×900" in message
