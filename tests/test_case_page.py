"""The top of a case page (issue 15): a hero with the brand's picture beside its name,
slogan and place; the key figures large; the replication kit framed near the top for
visitors from other streets; the full story below, every section where it was."""

from __future__ import annotations

import posixpath
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from pymdownx.slugs import slugify

from yipin.content.validate import validate_content

from .browser import browser, serve
from .conftest import REPO, build, make_content, site_config

SLUG = slugify(case="lower")


@pytest.fixture(scope="module")
def site(sample_site) -> Path:
    return sample_site


@pytest.fixture(scope="module")
def cases():
    return {c.id: c for c in validate_content(REPO / "content").cases if c.record.status == "published"}


def _article(site: Path, case_id: str) -> Tag:
    soup = BeautifulSoup((site / "cases" / case_id / "index.html").read_text(encoding="utf-8"), "html.parser")
    return soup.select_one("article [data-pagefind-body]")


def _blocks(article: Tag) -> list[Tag]:
    return [child for child in article.children if isinstance(child, Tag)]


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def test_one_h1_the_brand_name_with_its_anchor_as_before(site, cases):
    for case_id, case in cases.items():
        article = _article(site, case_id)
        headings = article.find_all("h1")
        assert len(headings) == 1, case_id
        name = case.record.brand.name
        assert headings[0].get_text(strip=True).removesuffix("¶") == name
        assert headings[0]["id"] == SLUG(name, "-")   # the Markdown heading's anchor, as search and links know it


def test_the_hero_holds_the_picture_beside_name_slogan_and_place(site, cases):
    record = cases["zhouxin-lianjiang"].record
    blocks = _blocks(_article(site, "zhouxin-lianjiang"))
    names = [b.name for b in blocks]
    h1 = names.index("h1")
    cover, hero = blocks[h1 - 1], blocks[h1 + 1]
    assert "yp-case-cover" in cover["class"] and "yp-case-hero" in hero["class"]
    img = cover.select_one("picture img")
    assert img["alt"] == record.gallery[0].alt
    assert "loading" not in img.attrs                     # the first picture of the page comes at once
    assert (Path(site / "cases" / "zhouxin-lianjiang") / img["src"]).resolve().is_file()
    assert cover.select_one("source[type='image/webp']")["srcset"]
    assert hero.select_one(".yp-slogan").get_text(strip=True) == record.brand.slogan
    place = hero.select_one(".yp-case-place").get_text(strip=True)
    region = record.community.region
    assert record.community.name in place and region.street in place and region.city in place
    assert blocks[0].name == "nav" and "yp-breadcrumb" in blocks[0]["class"]


def test_a_case_without_pictures_has_a_hero_without_one(site, cases):
    blocks = _blocks(_article(site, "liwan-elevators"))
    h1 = [b.name for b in blocks].index("h1")
    assert "yp-case-cover" not in (blocks[h1 - 1].get("class") or [])
    hero = blocks[h1 + 1]
    assert "yp-case-hero" in hero["class"] and "yp-case-hero--beside" not in hero["class"]
    assert hero.select_one(".yp-summary").get_text() == cases["liwan-elevators"].record.summary


def test_the_figures_strip_holds_each_metric_with_its_unit_and_date(site, cases):
    with_metrics = [c for c in cases.values() if c.record.metrics]
    assert with_metrics
    for case in with_metrics:
        strip = _article(site, case.id).select_one("dl.yp-case-figures")
        cells = strip.select(".yp-metric")
        assert len(cells) == len(case.record.metrics)
        for cell, metric in zip(cells, case.record.metrics, strict=True):
            assert cell.dt.get_text() == metric.label
            assert cell.select_one(".yp-metric__value").get_text() == _number(metric.value)
            unit = cell.select_one(".yp-metric__unit")
            assert (unit.get_text() if unit else None) == metric.unit
            as_of = cell.select_one(".yp-metric__as-of")
            assert bool(as_of) == bool(metric.as_of)
            if metric.as_of:
                assert as_of.get_text().startswith(f"截至 {metric.as_of.year}年")


def test_the_kit_comes_before_the_story_and_holds_what_another_street_needs(site, cases):
    for case_id in ("zhouxin-lianjiang", "liwan-elevators"):
        kit = cases[case_id].record.replication
        blocks = _blocks(_article(site, case_id))
        ids = [b.get("id") for b in blocks]
        lead = next(i for i, b in enumerate(blocks) if "yp-kit-lead" in (b.get("class") or []))
        heading = ids.index("可复制要点")
        body = blocks[heading + 1]
        assert lead + 1 == heading and "yp-kit" in body["class"]
        assert "想在你的社区试试" in blocks[lead].get_text()
        story = [ids.index(i) for i in ("背景与起因", "做法与经过", "成效与反响") if i in ids]
        assert story and heading < min(story)
        assert "yp-case-hero" in blocks[[b.name for b in blocks].index("h1") + 1]["class"]
        figures = [i for i, b in enumerate(blocks) if "yp-case-figures" in (b.get("class") or [])]
        assert all(i < lead for i in figures)
        assert [li.get_text() for li in body.select(".yp-kit__fit li")] == list(kit.fit)
        assert [li.get_text() for li in body.select("ol.yp-steps li")] == list(kit.steps)
        assert [li.get_text() for li in body.select(".yp-kit__resources li")] == list(kit.resources)
        assert [li.get_text() for li in body.select(".yp-cautions li")] == list(kit.cautions)
        assert kit.contact.org in body.select_one(".yp-contact").get_text()
        starter = body.select_one(".yp-starter a[download]")
        assert starter.get_text() == "下载起步模板（YAML）"
        target = site / "cases" / case_id / posixpath.normpath(starter["href"])
        assert target.is_file() and target.read_text(encoding="utf-8").startswith("# yaml-language-server:")


def test_every_section_stays_after_the_kit(site, cases):
    ids = [b.get("id") for b in _blocks(_article(site, "zhouxin-lianjiang"))]
    order = ["可复制要点", "背景与起因", "做法与经过", "成效与反响", "图集", "活动安排", "共建单位", "来源", "分享"]
    assert [ids.index(i) for i in order] == sorted(ids.index(i) for i in order)
    article = _article(site, "zhouxin-lianjiang")
    assert article.select_one(".yp-qr svg") and article.select_one(".yp-share") and article.select_one(".yp-updated")
    assert article.select_one(".yp-search-data[data-pagefind-ignore]")


def test_case_pages_hide_the_empty_navigation_and_keep_the_table_of_contents(site):
    soup = BeautifulSoup((site / "cases" / "zhouxin-lianjiang" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one(".md-sidebar--primary").has_attr("hidden")
    toc = soup.select_one(".md-sidebar--secondary")
    assert not toc.has_attr("hidden") and toc.select_one('a[href="#可复制要点"]')


def test_a_logo_without_a_gallery_is_the_hero_picture(tmp_path):
    content = make_content(tmp_path)
    case = content / "cases" / "base.yaml"
    text = case.read_text(encoding="utf-8")
    start = text.index("\ngallery:\n") + 1
    end = next(i for i in range(start + 1, len(text)) if text[i - 1] == "\n" and text[i] not in " \n#")
    case.write_text(text[:start] + text[end:], encoding="utf-8")   # the logo stays, the gallery goes
    article = _article(build(site_config(tmp_path, content)), "base")
    blocks = _blocks(article)
    h1 = [b.name for b in blocks].index("h1")
    cover = blocks[h1 - 1]
    assert "yp-case-cover--logo" in cover["class"]
    assert cover.img["alt"] == "样例品牌 标志" and "loading" not in cover.img.attrs
    assert article.select_one(".yp-case-hero .yp-logo") is None   # not twice


@pytest.mark.gates
def test_the_picture_sits_above_the_name_on_a_phone_and_beside_it_on_a_wide_screen(sample_site):
    box = "s => { const r = document.querySelector(s).getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"
    with serve(sample_site) as base, browser() as chromium:
        for width, beside in ((390, False), (1280, True)):
            page = chromium.new_page(viewport={"width": width, "height": 900})
            page.goto(base + "cases/zhouxin-lianjiang/")
            cover = page.evaluate(box, ".yp-case-cover img")
            name = page.evaluate("() => { const r = document.createRange(); r.selectNodeContents(document.querySelector("
                                 "'article h1').firstChild); const b = r.getBoundingClientRect(); "
                                 "return [b.left, b.top, b.right, b.bottom]; }")   # the name's text beside the float
            slogan = page.evaluate(box, ".yp-case-hero")
            kit = page.evaluate(box, ".yp-kit-lead")
            if beside:
                assert cover[0] >= name[2] - 1 and cover[0] >= slogan[2] - 1 and cover[1] < slogan[3]
            else:
                assert cover[3] <= name[1] and cover[2] - cover[0] > 0.8 * (width - 40)
            assert kit[1] > max(cover[3], slogan[3])
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width
            page.close()

