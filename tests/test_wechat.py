"""`yipin wechat`: the article for the 公众号 editor carries inline styles only (no class, style
sheet or script), renders the same in Chromium with every style sheet removed, names its
pictures 01, 02 … in order beside it without metadata, keeps record text as text, and has a
plain-text twin; the output folder is never a folder of the user's."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image, ImageChops

from yipin.commands.main import main
from yipin.utils.owned import MANIFEST

from .browser import browser, serve
from .conftest import make_content, site_config
from .image_fixtures import camera_jpeg, screenshot_png
from .test_share import ALLOWED_CHUNKS, chunks

HOSTILE = "<script>alert(1)</script>{: .md-button} [x](javascript:alert(1))"
STORY = """\
story:
  background: |
    背景说明，**加粗的话**和[一个链接](https://example.org/)。

    - 第一条
    - 第二条

    !!! note "提示"
        提醒的内容。

    | 项目 | 数量 |
    | --- | --- |
    | 花园 | 3 |
  practices:
    - title: 第一项做法 <b>不是标签</b>
      body: 做法内容，居民一起动手改造了楼下的空地。
  outcomes: 成效说明。
"""
GALLERY = """\
gallery:
  - src: images/base/park.jpg
    alt: 改造后的小花园
    caption: 居民在花园里
    credit: 样例社区
  - src: images/base/screen.png
    alt: 议事群的通知截图
"""
ACCENT = "rgb(179, 38, 30)"


def _content(tmp_path: Path) -> Path:
    content = make_content(tmp_path)
    camera_jpeg(content / "images" / "base" / "park.jpg", (1600, 1200), seed=7)
    screenshot_png(content / "images" / "base" / "screen.png", (600, 900))
    case = content / "cases" / "base.yaml"
    text = case.read_text(encoding="utf-8").replace("slogan: 样例口号", f"slogan: '{HOSTILE}'")
    text = text[:text.index("story:")] + STORY + text[text.index("metrics:"):]
    text = text[:text.index("gallery:")] + GALLERY + text[text.index("sources:"):]
    case.write_text(text, encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def article(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("wechat")
    config = site_config(tmp, _content(tmp))
    out = tmp / "article"
    assert main(["wechat", "base", "--out", str(out), "-f", str(config)]) == 0
    return out


def _soup(article: Path) -> BeautifulSoup:
    return BeautifulSoup((article / "base.html").read_text(encoding="utf-8"), "html.parser")


def test_only_inline_styles(article):
    soup = _soup(article)
    assert soup.find_all(["style", "script", "link"]) == []
    assert [tag.name for tag in soup.find_all(attrs={"class": True})] == []
    body = soup.body.find_all(True)
    assert [tag.name for tag in body if not tag.get("style") and tag.name not in {"br", "thead", "tbody", "tr"}] == []
    assert {name for tag in body for name in tag.attrs} <= {"style", "src", "alt", "width", "height", "href", "rel"}
    assert soup.find("a", href="https://example.org/").get_text() == "一个链接"


def test_record_text_stays_text(article):
    soup = _soup(article)
    slogan = soup.find("p", string=lambda s: s and "alert" in s)
    assert slogan.get_text() == HOSTILE and slogan.find(True) is None
    assert soup.find("h3", string="1. 第一项做法 <b>不是标签</b>") is not None
    assert soup.find("a", href=lambda h: h and h.startswith("javascript")) is None
    assert soup.find("strong").get_text() == "加粗的话" and soup.find("table") is not None
    assert "提醒的内容" in soup.get_text()  # the admonition's box, its classes gone


def test_pictures_are_numbered_in_order_beside_the_article(article):
    images = _soup(article).find_all("img")
    assert [img["src"] for img in images] == ["01.jpg", "02.png"]
    assert sorted(p.name for p in article.iterdir()) == [MANIFEST, "01.jpg", "02.png", "base.html", "base.txt"]
    assert [img["alt"] for img in images] == ["改造后的小花园", "议事群的通知截图"]
    for img in images:
        data = (article / img["src"]).read_bytes()
        with Image.open(io.BytesIO(data)) as picture:
            assert picture.size == (int(img["width"]), int(img["height"]))
            assert not picture.getexif() and not picture.info.get("icc_profile")
        if img["src"].endswith(".png"):
            assert set(chunks(data)) <= ALLOWED_CHUNKS
        else:
            assert b"Exif" not in data and b"Yipin Phone" not in data


def test_the_plain_text_has_the_name_and_the_story(article):
    text = (article / "base.txt").read_text(encoding="utf-8")
    for expected in ("样例品牌", HOSTILE, "背景说明，加粗的话和一个链接。", "· 第一条", "做法内容，居民一起动手改造了楼下的空地。",
                     "1. 摸清需求", "［图 01.jpg：改造后的小花园］", "服务群众", "30,000人次"):
        assert expected in text, expected
    assert "<p" not in text and "**" not in text and "style=" not in text


def test_it_looks_the_same_without_any_style_sheet(article):
    with serve(article) as base, browser() as chromium:
        page = chromium.new_page(viewport={"width": 390, "height": 844})
        page.goto(base + "base.html")
        page.wait_for_function("Array.from(document.images).every(i => i.complete)")
        assert page.eval_on_selector("h2", "h => getComputedStyle(h).color") == ACCENT  # the styles work
        styled = page.screenshot(full_page=True)
        removed = page.evaluate("""() => {
            const sheets = document.querySelectorAll('style, link[rel~=stylesheet]');
            sheets.forEach(s => s.remove());
            document.adoptedStyleSheets = [];
            return sheets.length + document.styleSheets.length;
        }""")
        bare = page.screenshot(full_page=True)
    assert removed == 0
    first, second = (Image.open(io.BytesIO(shot)).convert("RGB") for shot in (styled, bare))
    assert first.size == second.size and ImageChops.difference(first, second).getbbox() is None


def test_the_same_case_gives_the_same_files(article, tmp_path):
    config = next(article.parent.glob("mkdocs.yml"))
    assert main(["wechat", "base", "--out", str(article), "-f", str(config)]) == 0  # its own folder: replaced
    again = tmp_path / "again"
    assert main(["wechat", "base", "--out", str(again), "-f", str(config)]) == 0
    assert {p.name: p.read_bytes() for p in again.iterdir()} == {p.name: p.read_bytes() for p in article.iterdir()}


def test_a_folder_of_the_users_or_an_unknown_case_is_refused(article, tmp_path, capsys):
    config = next(article.parent.glob("mkdocs.yml"))
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("我的笔记", encoding="utf-8")
    assert main(["wechat", "base", "--out", str(tmp_path / "mine"), "-f", str(config)]) == 2
    assert "notes.txt" in capsys.readouterr().err and (tmp_path / "mine" / "notes.txt").is_file()
    assert main(["wechat", "nobody", "--out", str(tmp_path / "new"), "-f", str(config)]) == 2
    assert "没有编号为“nobody”的已发布案例" in capsys.readouterr().err and not (tmp_path / "new").exists()


def test_the_users_own_pictures_are_never_replaced(article, tmp_path, capsys):
    config = next(article.parent.glob("mkdocs.yml"))
    mine = tmp_path / "mine"
    mine.mkdir()
    for n in range(1, 6):
        (mine / f"0{n}.jpg").write_bytes(b"my photo")
    assert main(["wechat", "base", "--out", str(mine), "-f", str(config)]) == 2
    assert "里有不是 yipin 写出的“01.jpg”" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in mine.iterdir()} == {f"0{n}.jpg": b"my photo" for n in range(1, 6)}


def test_dot_is_written_into(article, tmp_path, monkeypatch):
    config = next(article.parent.glob("mkdocs.yml")).resolve()
    monkeypatch.chdir(tmp_path)
    assert main(["wechat", "base", "--out", ".", "-f", str(config)]) == 0
    assert main(["wechat", "base", "--out", ".", "-f", str(config)]) == 0
    assert (tmp_path / "base.html").is_file() and (tmp_path / "01.jpg").is_file()
