"""The share poster: its QR code read by ZBar is the page's canonical address; its size, mode
and chunks (no metadata); the same bytes every time, drawn once and then cached; the 分享
section of the built page; and a machine without a Chinese font (exit 3, what to install)."""

from __future__ import annotations

import posixpath
import struct
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image, ImageFont

from yipin.build.pipeline import build_site
from yipin.commands.main import main
from yipin.config import Settings
from yipin.errors import MachineError
from yipin.render import fonts, poster
from yipin.render.poster import POSTER, PosterText, draw_poster

from .conftest import build, make_content, site_config
from .test_qr import zbar

# The chunks a PNG needs: no tEXt/zTXt/iTXt, eXIf, iCCP, tIME or pHYs
ALLOWED_CHUNKS = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
TEXT = PosterText("连江营造计划", "在连江，看见美好生活", "连江社区 · 清城区洲心街道", "一品 · 社区治理品牌库",
                  "https://yipin.example.org/cases/zhouxin-lianjiang/")


def chunks(data: bytes) -> list[bytes]:
    found, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        found.append(kind)
        at += 12 + length
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("share")
    return build(site_config(tmp, make_content(tmp)))


def _page(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / "cases" / "base" / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_the_poster_decodes_to_the_pages_canonical_address(site):
    canonical = _page(site).find("link", rel="canonical")["href"]
    assert canonical == "https://yipin.example.org/cases/base/"
    assert zbar(site / "cases" / "base" / POSTER) == canonical


def test_the_share_section_shows_the_poster(site):
    page = _page(site)
    heading = page.find("h2", id="分享") or page.find("h2", string="分享")
    figure = page.select_one("figure.yp-share")
    assert heading is not None and figure is not None and heading in figure.find_all_previous("h2")
    image = figure.select_one("img.yp-share__poster")
    assert (image["width"], image["height"]) == ("1080", "1440") and "分享海报" in image["alt"]
    assert "长按保存图片" in figure.figcaption.get_text()
    download = figure.select_one("a[download]")
    assert download.get_text() == "下载分享海报（PNG）" and download["download"].endswith(".png")
    for url in (image["src"], download["href"]):
        assert (site / posixpath.normpath(posixpath.join("cases/base/", url))).samefile(site / "cases/base" / POSTER)


def test_the_poster_is_a_plain_png_of_its_size(site):
    data = (site / "cases" / "base" / POSTER).read_bytes()
    assert set(chunks(data)) <= ALLOWED_CHUNKS
    with Image.open(site / "cases" / "base" / POSTER) as image:
        assert image.format == "PNG" and image.size == (1080, 1440) and image.mode in {"RGB", "P"}
        assert not image.getexif() and set(image.info) <= {"transparency"}


def test_the_same_text_gives_the_same_bytes():
    found = fonts.find_fonts()
    first = draw_poster(TEXT, found)
    assert draw_poster(TEXT, found) == first
    assert draw_poster(TEXT._replace(slogan=""), found) != first


def test_long_names_stay_inside_the_poster(tmp_path):
    long = TEXT._replace(brand="“五社联动”幸福里社区治理与服务创新品牌建设计划 Happy Neighbourhood Programme 2024",
                         slogan="一个很长的口号，" * 12, place="幸福里社区 · " + "很长的街道名称" * 8)
    (tmp_path / "long.png").write_bytes(draw_poster(long, fonts.find_fonts()))
    with Image.open(tmp_path / "long.png") as image:
        accent = image.convert("RGB").getpixel((4, 4))
        band = image.convert("RGB").crop((0, 0, 60, 1000))  # the left margin holds no text
        assert band.getcolors(4) == [(60 * 1000, accent)]
    assert zbar(tmp_path / "long.png") == long.url


def test_posters_are_drawn_once_then_taken_from_the_cache(tmp_path, monkeypatch):
    content = make_content(tmp_path)
    settings = Settings(content=content, site_url="https://a.example/", image_cache=tmp_path / "images",
                        build_cache=tmp_path / "build", image_workers=1)
    first = build_site(settings).files[f"cases/base/{POSTER}"]
    drawn: list[PosterText] = []
    original = poster.draw_poster
    monkeypatch.setattr(poster, "draw_poster", lambda text, found: drawn.append(text) or original(text, found))
    assert build_site(settings).files[f"cases/base/{POSTER}"] == first and drawn == []
    other = Settings(**{**vars(settings), "site_url": "https://b.example/"})
    assert build_site(other).files[f"cases/base/{POSTER}"] != first
    assert [text.url for text in drawn] == ["https://b.example/cases/base/"]
    fresh = Settings(**{**vars(settings), "image_cache": tmp_path / "other-images"})
    assert build_site(fresh).files[f"cases/base/{POSTER}"] == first  # the same bytes from nothing


def test_no_chinese_font_is_a_machine_error_naming_what_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(fonts, "CANDIDATES", ((tmp_path / "none.ttc", tmp_path / "none-bold.ttc"),))
    monkeypatch.delenv(fonts.ENVIRONMENT, raising=False)
    with pytest.raises(MachineError, match="fonts-noto-cjk"):
        fonts.find_fonts()
    config = site_config(tmp_path, make_content(tmp_path))
    assert main(["export", "-f", str(config), str(tmp_path / "out")]) == 3
    error = capsys.readouterr().err
    assert "找不到中文字体" in error and "apt-get install fonts-noto-cjk" in error and "Traceback" not in error


def test_a_chosen_font_file_must_exist(tmp_path, monkeypatch):
    monkeypatch.setenv(fonts.ENVIRONMENT, str(tmp_path / "missing.otf"))
    with pytest.raises(MachineError, match="YIPIN_FONT"):
        fonts.find_fonts()
    (tmp_path / "bad.ttf").write_bytes(b"not a font")
    monkeypatch.setenv(fonts.ENVIRONMENT, str(tmp_path / "bad.ttf"))
    with pytest.raises(MachineError, match="不是能打开的字体文件"):
        fonts.find_fonts()


def test_the_simplified_chinese_face_of_a_collection_is_chosen(monkeypatch):
    monkeypatch.delenv(fonts.ENVIRONMENT, raising=False)
    found = fonts.find_fonts()
    family = ImageFont.truetype(found.regular.path, 12, index=found.regular.index).getname()[0]
    assert "SC" in family or "GB" in family or found.regular.index == 0
