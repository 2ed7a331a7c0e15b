"""Galleries in the built site (MkDocs, the real theme): the <picture> markup checked against
the files it names, logos, card thumbnails, Pagefind's result image, removal of a picture,
and the lightbox in Chromium: opened and moved through by keyboard, focus back on close."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from .browser import browser, serve
from .conftest import build, make_content, site_config
from .image_fixtures import camera_jpeg, screenshot_png
from .test_accessibility import axe

GALLERY = """\
gallery:
  - src: images/gallery/park.jpg
    alt: 改造后的江湾体育公园里，居民在健身器材旁锻炼
    caption: 江湾体育公园改造后新增健身设施
    credit: 连江社区居委会
  - src: images/gallery/portrait.jpg
    alt: 竖拍的社区书屋门口
  - src: images/gallery/screen.png
    alt: 居民议事群的通知截图
    caption: 议事会通知
sources:"""


def _content(tmp_path: Path, gallery: str = GALLERY) -> Path:
    content = make_content(tmp_path)
    camera_jpeg(content / "images" / "gallery" / "park.jpg", (2400, 1800), orientation=1, seed=4)
    camera_jpeg(content / "images" / "gallery" / "portrait.jpg", (2400, 1800), orientation=6, seed=5)
    screenshot_png(content / "images" / "gallery" / "screen.png", (900, 1600))
    case = content / "cases" / "base.yaml"
    text = case.read_text(encoding="utf-8")
    text = text.replace("  logo: images/base/logo.png\n", "")
    start, end = text.index("gallery:"), text.index("sources:")
    case.write_text(text[:start] + gallery + text[end + len("sources:"):], encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("gallery")
    return build(site_config(tmp, _content(tmp)))


def _page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def _file(site: Path, page_url: str, href: str) -> Path:
    return site / posixpath.normpath(posixpath.join(page_url, href))


def _srcset(site: Path, page_url: str, value: str) -> list[tuple[Path, int]]:
    pairs = [item.strip().rsplit(" ", 1) for item in value.split(",")]
    return [(_file(site, page_url, url), int(width.removesuffix("w"))) for url, width in pairs]


def test_every_srcset_width_is_the_width_of_its_file(site):
    figures = _page(site, "cases/base/").select(".yp-gallery figure")
    assert len(figures) == 3
    for figure in figures:
        sources = [figure.select_one("source")["srcset"], figure.select_one("img")["srcset"]]
        for srcset in sources:
            for file, width in _srcset(site, "cases/base/", srcset):
                with Image.open(file) as image:
                    assert image.width == width, file
        assert figure.select_one("source")["type"] == "image/webp"


def test_pictures_have_alt_size_caption_credit_and_load_lazily_but_the_first(site):
    page = _page(site, "cases/base/")
    figures = page.select(".yp-gallery figure")
    park, portrait, screen = (f.select_one("img") for f in figures)
    assert park["alt"] == "改造后的江湾体育公园里，居民在健身器材旁锻炼"
    assert (park["width"], park["height"]) == ("1600", "1200")
    assert (portrait["width"], portrait["height"]) == ("1600", "2133")   # EXIF 6: seen portrait
    assert (screen["width"], screen["height"]) == ("900", "1600")
    cover = page.select_one(".yp-case-cover img")  # the page's first picture: the gallery's first, in the hero
    assert cover["alt"] == park["alt"] and cover["src"] == park["src"]
    assert "loading" not in cover.attrs and "decoding" not in cover.attrs
    assert all(img["loading"] == "lazy" and img["decoding"] == "async" for img in (park, portrait, screen))
    assert re.fullmatch(r"background-color: #[0-9a-f]{6}", park["style"])
    caption = figures[0].figcaption
    assert caption.get_text(" ", strip=True) == "江湾体育公园改造后新增健身设施 图片来源：连江社区居委会"
    assert figures[1].figcaption is None


def test_each_picture_opens_its_large_variant(site):
    for link in _page(site, "cases/base/").select("a[data-yp-lightbox]"):
        with Image.open(_file(site, "cases/base/", link["href"])) as image:
            assert image.width == int(link.img["width"])
        assert _file(site, "cases/base/", link["data-webp"]).is_file()


def test_cards_and_search_results_show_a_square_thumbnail(site):
    thumb = _page(site, "streets/qingcheng-yangli/").select_one(".yp-card .yp-card__thumb")
    assert thumb["alt"] == ""
    with Image.open(_file(site, "streets/qingcheng-yangli/", thumb["src"])) as image:
        assert image.size == (320, 320)
    meta = _page(site, "cases/base/").select_one('[data-pagefind-meta^="image:"]')["data-pagefind-meta"]
    assert _file(site, "cases/base/", meta.removeprefix("image:")).is_file()


def test_share_apps_get_the_first_picture(site):
    og = _page(site, "cases/base/").select_one('meta[property="og:image"]')["content"]
    assert og.startswith("https://") and og.endswith("/park-960.jpg")


def test_a_logo_is_shown_as_a_picture_and_is_the_eager_first_image(tmp_path):
    content = _content(tmp_path)
    case = content / "cases" / "base.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("  launched:", "  logo: images/gallery/screen.png\n  launched:"),
                    encoding="utf-8")
    page = _page(build(site_config(tmp_path, content)), "cases/base/")
    logo = page.select_one(".yp-hero img.yp-logo")
    assert logo["alt"] == "样例品牌 标志" and "loading" not in logo.attrs
    assert page.select_one(".yp-gallery img")["loading"] == "lazy"


def test_a_removed_picture_is_no_longer_published(tmp_path):
    content = _content(tmp_path)
    site = build(site_config(tmp_path, content))
    before = {p.relative_to(site).as_posix() for p in (site / "images").rglob("*") if p.is_file()}
    case = content / "cases" / "base.yaml"
    text = case.read_text(encoding="utf-8")
    start = text.index("  - src: images/gallery/portrait.jpg")
    case.write_text(text[:start] + text[text.index("  - src: images/gallery/screen.png"):], encoding="utf-8")
    site = build(site_config(tmp_path, content))
    after = {p.relative_to(site).as_posix() for p in (site / "images").rglob("*") if p.is_file()}
    gone = before - after
    assert gone and all("/portrait-" in path for path in gone)
    assert after < before


@pytest.mark.gates
def test_the_lightbox_works_with_the_keyboard_and_returns_focus(site):
    with serve(site) as base, browser() as chromium:
        page = chromium.new_page(viewport={"width": 390, "height": 844}, bypass_csp=True)  # axe is injected inline
        page.goto(base + "cases/base/")
        first = page.locator("a[data-yp-lightbox]").first
        first.focus()
        page.keyboard.press("Enter")
        dialog = page.locator("dialog.yp-lightbox")
        assert dialog.evaluate("d => d.open")
        assert dialog.get_attribute("aria-label") == "查看大图"
        image = dialog.locator("img")
        assert image.get_attribute("alt") == "改造后的江湾体育公园里，居民在健身器材旁锻炼"
        page.wait_for_function("() => document.querySelector('dialog img').currentSrc.endsWith('park-1600.webp')")
        assert dialog.locator(".yp-lightbox__count").inner_text() == "1 / 3"
        page.add_script_tag(path=axe())
        report = page.evaluate("() => axe.run(document.querySelector('dialog'), {resultTypes: ['violations']})")
        assert [v["id"] for v in report["violations"] if v["impact"] in {"serious", "critical"}] == []
        page.keyboard.press("ArrowRight")
        assert image.get_attribute("alt") == "竖拍的社区书屋门口"
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")
        assert dialog.locator(".yp-lightbox__count").inner_text() == "3 / 3"
        page.keyboard.press("Escape")
        assert not dialog.evaluate("d => d.open")
        assert page.evaluate("() => document.activeElement.matches('a[data-yp-lightbox]')")
        assert page.evaluate("() => document.activeElement.href").endswith("park-1600.jpg")
