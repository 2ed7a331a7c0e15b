"""Card thumbnails that keep their subject: a gallery item's focus (model, schema, check
errors), the square around it, the centre of a photo, a graphic whole and letterboxed, and
a changed focus giving a new thumbnail through a build and its caches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from yipin.build.pipeline import build_site
from yipin.commands.main import main
from yipin.config import Settings
from yipin.images import ImageCache, prepare_images
from yipin.images.crop import focus_box

from .conftest import REPO, make_content

RED, WHITE, BLUE = (220, 0, 0), (255, 255, 255), (0, 0, 220)
CARD, INK = (245, 230, 200), (40, 40, 40)


def striped(path: Path, fmt: str, margin: int = 0) -> Path:
    """1600×800: a red quarter on the left, a blue one on the right, white between (and
    ``margin`` rows above and below them, as a chart has)."""
    picture = Image.new("RGB", (1600, 800), WHITE)
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, margin, 399, 799 - margin), fill=RED)
    draw.rectangle((1200, margin, 1599, 799 - margin), fill=BLUE)
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, fmt, **({"quality": 95} if fmt == "JPEG" else {}))
    return path


def brand_card(path: Path) -> Path:
    """1600×1000, a brand card: a flat background and a line of 'text' from edge to edge."""
    picture = Image.new("RGB", (1600, 1000), CARD)
    ImageDraw.Draw(picture).rectangle((40, 450, 1559, 549), fill=INK)
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, "PNG")
    return path


def thumb(picture) -> Image.Image:
    fallback = picture.thumb[1]
    return Image.open(fallback.file).convert("RGB")


def near(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 24) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("focus")
    striped(root / "photo.jpg", "JPEG")
    striped(root / "chart.png", "PNG", margin=200)
    brand_card(root / "card.png")
    return root


def prepare(root: Path, focus: dict | None = None):
    names = ["photo.jpg", "chart.png", "card.png"]
    return prepare_images(root, names, ImageCache(root.parent / "cache"), workers=1, focus=focus)


def test_the_focus_box_is_the_largest_square_pushed_inside():
    assert focus_box((1600, 800), (0.5, 0.5)) == (400, 0, 1200, 800)
    assert focus_box((1600, 800), (0.0, 0.5)) == (0, 0, 800, 800)
    assert focus_box((1600, 800), (0.3, 0.9)) == (80, 0, 880, 800)
    assert focus_box((1600, 800), (1.0, 0.0)) == (800, 0, 1600, 800)
    assert focus_box((600, 1200), (0.5, 0.1)) == (0, 0, 600, 600)
    assert focus_box((600, 1200), (0.5, 0.75)) == (0, 600, 600, 1200)


def test_a_photo_is_cut_at_its_centre(sources):
    image = thumb(prepare(sources)["photo.jpg"])
    assert image.size == (320, 320)
    assert all(near(image.getpixel((x, 160)), WHITE) for x in (5, 160, 314))


def test_the_thumbnail_keeps_the_focused_region(sources):
    pictures = prepare(sources, {"photo.jpg": (0.0, 0.5), "chart.png": (1.0, 0.5)})
    left = thumb(pictures["photo.jpg"])
    assert near(left.getpixel((40, 160)), RED) and near(left.getpixel((280, 160)), WHITE)
    right = thumb(pictures["chart.png"])  # a graphic with a focus is cut like a photo
    assert near(right.getpixel((40, 160)), WHITE) and near(right.getpixel((280, 160)), BLUE)


def test_a_graphic_is_whole_and_letterboxed(sources):
    pictures = prepare(sources)
    chart = thumb(pictures["chart.png"])
    assert near(chart.getpixel((2, 160)), RED) and near(chart.getpixel((317, 160)), BLUE)  # nothing cut
    assert near(chart.getpixel((160, 10)), WHITE) and near(chart.getpixel((160, 310)), WHITE)  # bands
    card = thumb(pictures["card.png"])
    assert near(card.getpixel((160, 10)), CARD, 2) and near(card.getpixel((160, 310)), CARD, 2)  # its background
    line = [x for x in range(320) if near(card.getpixel((x, 160)), INK, 40)]
    assert line[0] <= 10 and line[-1] >= 309  # the 'text' runs from edge to edge
    rows = [y for y in range(320) if near(card.getpixel((160, y)), INK, 40)]
    assert 130 <= rows[0] and rows[-1] <= 190  # 100 of 1000 rows, scaled to 320 wide, centred


def test_the_focus_is_in_the_cache_key_and_the_urls(sources):
    plain, focused = prepare(sources)["photo.jpg"], prepare(sources, {"photo.jpg": (0.0, 0.5)})["photo.jpg"]
    assert plain.thumb[0].url != focused.thumb[0].url and plain.thumb[0].path != focused.thumb[0].path
    again = prepare(sources, {"photo.jpg": (0.0, 0.5)})["photo.jpg"]
    assert again == focused and Path(again.thumb[1].path).read_bytes() == Path(focused.thumb[1].path).read_bytes()


def test_the_schema_describes_the_focus():
    schema = json.loads((REPO / "schema" / "case.schema.json").read_text(encoding="utf-8"))
    focus = schema["$defs"]["Image"]["properties"]["focus"]
    assert focus["title"] == "焦点" and "0 到 1" in focus["description"]
    array = focus["anyOf"][0]
    assert (array["minItems"], array["maxItems"], array["items"]["minimum"], array["items"]["maximum"]) == (2, 2, 0, 1)


def _with_gallery(content: Path, item: str) -> Path:
    case = content / "cases" / "base.yaml"
    text = case.read_text(encoding="utf-8")
    start, end = text.index("gallery:"), text.index("sources:")
    case.write_text(text[:start] + "gallery:\n" + item + text[end:], encoding="utf-8")
    return case


@pytest.mark.parametrize(("focus", "message"), [
    ("[1.5, 0.5]", "gallery[0].focus[0]: focus（焦点）必须不大于 1"),
    ("[0.5]", "gallery[0].focus: focus（焦点）至少要有 2 项"),
    ("[0.2, 0.3, 0.4]", "gallery[0].focus: focus（焦点）最多 2 项，现在有 3 项"),
    ("[左, 0.5]", "gallery[0].focus[0]: focus（焦点）应该是数字"),
])
def test_a_bad_focus_is_a_check_error(in_tmp, capsys, focus, message):
    content = make_content(in_tmp)
    striped(content / "images" / "base" / "photo.jpg", "JPEG")
    _with_gallery(content, f"  - src: images/base/photo.jpg\n    alt: 条纹\n    focus: {focus}\n")
    assert main(["check", "--content", "content"]) == 1
    assert message in capsys.readouterr().out


def test_a_changed_focus_gives_the_card_a_new_thumbnail(tmp_path):
    content = make_content(tmp_path)
    striped(content / "images" / "base" / "photo.jpg", "JPEG")
    settings = Settings(content=content, build_cache=tmp_path / "build-cache", image_cache=tmp_path / "images")

    def card_thumb(focus: str) -> Image.Image:
        _with_gallery(content, f"  - src: images/base/photo.jpg\n    alt: 条纹\n    focus: {focus}\n")
        built = build_site(settings)
        home = built.pages["index.md"].decode()
        url = next(p for p in built.files if p.endswith("-thumb.jpg") and p.rsplit("/", 2)[-2] in home)
        return Image.open(built.files.source(url)).convert("RGB")

    assert near(card_thumb("[0, 0.5]").getpixel((40, 160)), RED)
    assert near(card_thumb("[1, 0.5]").getpixel((280, 160)), BLUE)  # the cached page is not reused
