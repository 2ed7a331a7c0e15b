"""The home page as a front page (issue 15): the hero, this week's activities in the
reader's browser, the brands by region, the charts drawn at build time (against counts made
here from the records, not through Yipin), the latest cases; no documentation chrome on the
pages people browse; markup in a record stays text; Chromium, axe and the CSP agree."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from yipin.render.charts import bar_chart

from .browser import browser, serve
from .conftest import REPO, build, make_content, site_config
from .portal_sites import PAYLOAD, hostile_content
from .test_accessibility import axe
from .test_csp import RECORD

KINDS = {"urban": "城市社区", "rural": "农村社区", "resettlement": "安置社区", "street": "街道整体", "district": "区级整体"}
FIXED_NOW = "2027-01-14T20:00:00+08:00"   # as the calendar tests: 腊八 of the lunar year 2026 is the next day


def soup_of(site: Path, url: str = "") -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def records(content: Path) -> list[dict]:
    """The published case records as YAML says them."""
    found = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((content / "cases").glob("*.yaml"))]
    return [r for r in found if r.get("status", "published") == "published"]


def theme_words(content: Path) -> dict[str, str]:
    taxonomy = yaml.safe_load((content / "taxonomy.yaml").read_text(encoding="utf-8"))
    words = {}
    for term in taxonomy["themes"]:
        words[term["term"]] = term["term"]
        words.update({alias: term["term"] for alias in term.get("aliases", [])})
    return words


def page_of(site: Path, href: str, base: str = "") -> Path:
    """The built file a site-relative link from ``base`` opens."""
    path = urlsplit(urljoin("http://site/" + base, href)).path.lstrip("/")
    return site / path / "index.html" if not path or path.endswith("/") else site / path


@pytest.fixture(scope="module")
def home(sample_site) -> BeautifulSoup:
    return soup_of(sample_site)


@pytest.fixture(scope="module")
def sample() -> list[dict]:
    return records(REPO / "content")


def test_the_hero_shows_the_featured_brand_of_the_moment(sample_site, home, sample):
    featured = re.search(r"featured: \[([a-z0-9-]+)", (REPO / "mkdocs.yml").read_text(encoding="utf-8")).group(1)
    record = yaml.safe_load((REPO / "content" / "cases" / f"{featured}.yaml").read_text(encoding="utf-8"))
    hero = home.select_one(".yp-hero")
    assert hero.h1.get_text() == "一品 · 社区治理品牌库"
    assert hero.select_one(".yp-hero__purpose").get_text() == "一社区一品牌：各地社区治理品牌的做法、成效与可复制经验"
    spotlight = hero.select_one("a.yp-spotlight")
    assert spotlight["href"] == f"cases/{featured}/" and page_of(sample_site, spotlight["href"]).is_file()
    assert spotlight.select_one(".yp-spotlight__brand").get_text() == record["brand"]["name"]
    assert spotlight.select_one(".yp-spotlight__slogan").get_text() == record["brand"]["slogan"]
    assert record["community"]["name"] in spotlight.select_one(".yp-spotlight__place").get_text()
    image = spotlight.select_one("img.yp-spotlight__img")
    assert image["alt"] == record["gallery"][0]["alt"] and "loading" not in image.attrs   # the first paint's picture
    assert page_of(sample_site, image["src"]).is_file()
    # The featured brands below leave out the one in the hero; the totals are a strip of figures.
    assert featured not in {a["href"].split("/")[1] for a in home.select(".yp-home-section .yp-card a")}
    totals = {div.dt.get_text(): int(div.dd.get_text()) for div in home.select(".yp-figures .yp-totals > div")}
    assert totals["品牌案例"] == len(sample)


def test_region_tiles_count_the_records_and_link_to_their_pages(sample_site, home, sample):
    regions = [r["community"]["region"] for r in sample]
    expected = {
        "province": Counter(r["province"] for r in regions),
        "city": Counter(r["city"] for r in regions),
        "district": Counter(r["district"] for r in regions),
        "street": Counter(r["street"] for r in regions if r.get("street")),
    }
    for level, counts in expected.items():
        tiles = home.select(f".yp-regions .yp-region--{level} > a.yp-tile")
        shown = {t.select_one(".yp-tile__name").get_text(): int(t.select_one(".yp-tile__number").get_text())
                 for t in tiles}
        assert shown == dict(counts), level
        for tile in tiles:
            assert int(tile["data-count"]) == shown[tile.select_one(".yp-tile__name").get_text()]
            target = page_of(sample_site, tile["href"])
            assert target.is_file(), tile["href"]
            if level in {"district", "street"}:   # their own pages, which list exactly these brands
                page = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
                assert page.h1.get_text().strip().rstrip("¶") == tile.select_one(".yp-tile__name").get_text()
                assert len(page.select(".yp-cards .yp-card")) == int(tile["data-count"])
            else:                                  # the library, filtered to the region (library.js reads it)
                query = parse_qs(urlsplit(tile["href"]).query)
                assert query[level] == [tile.select_one(".yp-tile__name").get_text()]


def test_each_chart_is_an_svg_image_with_the_records_figures_as_a_table(home, sample):
    words = theme_words(REPO / "content")
    themes = Counter(t for r in sample for t in {words[w] for w in r.get("themes", [])})
    kinds = Counter(KINDS[r["community"]["kind"]] for r in sample)
    launched = [str(r["brand"].get("launched", "")) for r in sample]
    years = Counter(f"{text[:4]}年" for text in launched if text)
    expected = {
        "yp-chart-theme": dict(themes.most_common(10)) if len(themes) > 10 else dict(themes),
        "yp-chart-kind": dict(kinds),
        "yp-chart-year": dict(years),
    }
    for ident, counts in expected.items():
        figure = home.select_one(f"figure#{ident}")
        svg = figure.select_one("svg")
        assert svg["role"] == "img"
        labelled = [svg.find(id=i) for i in svg["aria-labelledby"].split()]
        assert labelled[0].name == "title" and labelled[0].get_text() == figure.figcaption.get_text()
        assert all(node is not None for node in labelled)
        table = figure.select_one("table")
        rows = {tr.th.get_text(): int(tr.td.get_text()) for tr in table.select("tbody tr")}
        if ident == "yp-chart-theme" and len(themes) > 10:   # the ten largest; ties at the edge may swap
            assert sorted(rows.values()) == sorted(counts.values()) and all(themes[k] == v for k, v in rows.items())
        else:
            assert rows == counts, ident
        # The chart draws exactly the table's rows: each label and its value, bars in proportion.
        labels = [t.get_text() for t in svg.select(".yp-chart__label")]
        values = [int(t.get_text().removesuffix("个")) for t in svg.select(".yp-chart__value")]
        assert dict(zip(labels, values, strict=True)) == rows
        widths = [float(r["width"].rstrip("%")) for r in svg.select(".yp-chart__bar")]
        assert widths == [round(80 * v / max(values), 2) for v in values]
    undated = sum(1 for text in launched if not text)
    assert f"另有 {undated} 个品牌没有写启动时间" in home.select_one("#yp-chart-year").get_text()


def test_the_latest_cases_are_newest_first_with_their_dates(sample_site, home, sample):
    items = home.select(".yp-latest__list li")
    assert 0 < len(items) <= 6
    days = [date.fromisoformat(li.time["datetime"]) for li in items]
    assert days == sorted(days, reverse=True)
    assert [li.time.get_text() for li in items] == [f"{d.year}年{d.month}月{d.day}日" for d in days]
    for li in items:
        assert page_of(sample_site, li.a["href"]).is_file()
    # The newest date is the newest of any published case (api/v1/cases.json says each).
    cases = json.loads((sample_site / "api" / "v1" / "cases.json").read_text(encoding="utf-8"))
    newest = max(c["updated"] for c in cases["cases"])
    assert days[0].isoformat() == newest[:10]


@pytest.mark.parametrize("url", ["", "cases/", "districts/", "districts/liwan/", "streets/qingcheng-zhouxin/", "calendar/"])
def test_front_pages_have_no_documentation_chrome(sample_site, url):
    soup = soup_of(sample_site, url)
    primary, secondary = soup.select_one(".md-sidebar--primary"), soup.select_one(".md-sidebar--secondary")
    assert primary.has_attr("hidden") and secondary.has_attr("hidden"), url


def test_without_javascript_this_weeks_activities_are_a_link_to_the_calendar(sample_site, home):
    week = home.select_one("section.yp-week")
    assert week.select_one(".yp-agenda__list").has_attr("hidden")
    link = week.select_one(".yp-week__more a")
    assert link["href"] == "calendar/" and page_of(sample_site, link["href"]).is_file()
    assert week["data-months"] == "calendar/data/"


def test_bar_chart_is_deterministic_and_writes_labels_as_text():
    rows = [("</text><script>alert(1)</script>", 3), ("a & b", 1), ("{: onclick=x}", 0)]
    svg = bar_chart(rows, ident="t", title="<b>标题</b>", description="说明", unit="个")
    assert svg == bar_chart(rows, ident="t", title="<b>标题</b>", description="说明", unit="个")
    soup = BeautifulSoup(svg, "html.parser")
    assert soup.find("script") is None and soup.find("b") is None and "onclick=" not in svg
    assert [t.get_text() for t in soup.select(".yp-chart__label")] == [label for label, _ in rows]
    assert soup.title.get_text() == "<b>标题</b>" and soup.svg["aria-labelledby"] == "t-title t-desc"
    assert [r["width"] for r in soup.select(".yp-chart__bar")] == ["80%", "26.67%", "0%"]
    assert "style=" not in svg
    with pytest.raises(ValueError):
        bar_chart(rows, ident="x\" onload=\"y", title="t")
    with pytest.raises(ValueError):
        bar_chart([("x", -1)], ident="x", title="t")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile-home")
    content = hostile_content(tmp / "content")
    taxonomy = yaml.safe_load((content / "taxonomy.yaml").read_text(encoding="utf-8"))
    taxonomy["themes"].append({"term": "<b>恶意</b>主题", "description": "一个写着标记的主题"})
    (content / "taxonomy.yaml").write_text(yaml.safe_dump(taxonomy, allow_unicode=True), encoding="utf-8")
    case = content / "cases" / "base.yaml"
    record = yaml.safe_load(case.read_text(encoding="utf-8"))
    record["themes"].append("<b>恶意</b>主题")
    case.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return build(site_config(tmp, content))


def test_markup_in_records_stays_text_on_the_home_page(hostile_site):
    html = (hostile_site / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article")
    assert article.find("img", src="x") is None and article.find("b") is None
    assert not [tag for tag in article.find_all(True) for a in tag.attrs if a.startswith("on")]
    labels = [t.get_text() for t in soup.select("#yp-chart-theme .yp-chart__label")]
    assert "<b>恶意</b>主题" in labels
    assert "<b>恶意</b>主题" in [th.get_text() for th in soup.select("#yp-chart-theme tbody th")]
    assert soup.select_one(".yp-spotlight__brand").get_text() == PAYLOAD
    assert PAYLOAD in [a.get_text() for a in soup.select(".yp-latest__list a")]
    assert "<b>恶意街道</b>" in [t.get_text() for t in soup.select(".yp-region--street .yp-tile__name")]


def expected_week(activities: dict, now: datetime) -> list[str]:
    """What calendar.js lists (upcoming by the reader's clock, the first 40) within seven days."""
    today = now.date().isoformat()
    upcoming = [o for o in activities["occurrences"] if (o["end"] or o["start"]) >= today and (
        o["all_day"] or datetime.fromisoformat(o["end"] or o["start"]) >= now)][:40]
    last = (now.date() + timedelta(days=6)).isoformat()
    return [o["start"] for o in upcoming if o["start"][:10] <= last]


@pytest.fixture(scope="module")
def browsed(sample_site) -> dict:
    seen: dict = {}
    with serve(sample_site) as base, browser() as chromium:
        for name, viewport in {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}.items():
            context = chromium.new_context(viewport=viewport)
            context.add_init_script(RECORD)
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            page.clock.set_fixed_time(FIXED_NOW)
            page.goto(base)
            week = page.locator(".yp-week")
            week.locator(".yp-agenda__note", has_text="2027年1月14日").wait_for()
            seen[name] = {
                "shown": week.locator(".yp-agenda__list > li:visible time").evaluate_all(
                    "ts => ts.map(t => t.getAttribute('datetime'))"),
                "examples": week.locator(".yp-agenda__list > li:visible .yp-example").count(),
                "overflow": page.evaluate("() => document.scrollingElement.scrollWidth - innerWidth"),
                "chart_font": page.locator(".yp-chart__svg").first.evaluate("s => parseFloat(getComputedStyle(s).fontSize)"),
            }
            page.wait_for_load_state("networkidle")
            seen[name]["csp"] = page.evaluate("window.__csp")
            seen[name]["errors"] = errors
            context.close()
            # axe is injected inline, which the page's policy forbids: a context that ignores it.
            context = chromium.new_context(viewport=viewport, bypass_csp=True)
            page = context.new_page()
            page.clock.set_fixed_time(FIXED_NOW)
            page.goto(base)
            page.locator(".yp-week .yp-agenda__note").wait_for()
            page.add_script_tag(path=axe())
            seen[name]["axe"] = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")["violations"]
            page.locator(".yp-elder-toggle").click()
            seen[name]["elder_font"] = page.locator(".yp-chart__svg").first.evaluate(
                "s => parseFloat(getComputedStyle(s).fontSize)")
            seen[name]["elder_overflow"] = page.evaluate("() => document.scrollingElement.scrollWidth - innerWidth")
            seen[name]["elder_axe"] = page.evaluate(  # the page's content: the footer is not the home page's
                "() => axe.run(document.querySelector('article'), {resultTypes: ['violations']})")["violations"]
            context.close()
    return seen


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_this_weeks_activities_are_decided_by_the_readers_clock(browsed, sample_site, viewport):
    activities = json.loads((sample_site / "api" / "v1" / "activities.json").read_text(encoding="utf-8"))
    expected = expected_week(activities, datetime.fromisoformat(FIXED_NOW))
    seen = browsed[viewport]
    assert seen["shown"] == expected and expected and expected[0][:10] == "2027-01-15"
    assert seen["examples"] == len(expected)   # every sample activity is an invented example, and says so


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_home_page_is_clean_in_chromium(browsed, viewport):
    seen = browsed[viewport]
    serious = lambda found: [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in found  # noqa: E731
                             if v["impact"] in {"serious", "critical"}]
    assert seen["errors"] == [] and seen["csp"] == []
    assert serious(seen["axe"]) == [] and serious(seen["elder_axe"]) == []
    assert seen["overflow"] <= 0 and seen["elder_overflow"] <= 0
    assert seen["elder_font"] >= 1.25 * seen["chart_font"]   # 长辈模式 enlarges the charts' text too


def test_the_week_keeps_only_seven_days(tmp_path, monkeypatch):
    """A fixture site: one activity tomorrow, one in eight days; only the first is this week's."""
    content = make_content(tmp_path)
    case = content / "cases" / "base.yaml"
    record = yaml.safe_load(case.read_text(encoding="utf-8"))
    record["activities"] = [
        {"title": "明天的活动", "start": "2027-01-15 09:00", "duration": "1h"},
        {"title": "八天后的活动", "start": "2027-01-22 09:00", "duration": "1h"},
    ]
    case.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    site = build(site_config(tmp_path, content, calendar_today="2027-01-01"))
    with serve(site) as base, browser() as chromium:
        page = chromium.new_page()
        page.clock.set_fixed_time(FIXED_NOW)
        page.goto(base)
        week = page.locator(".yp-week")
        week.locator(".yp-agenda__note", has_text="2027年1月14日").wait_for()
        titles = week.locator(".yp-agenda__list > li:visible .yp-event__title").all_inner_texts()
        assert titles == ["明天的活动"]
        page.clock.set_fixed_time("2027-01-23T08:00:00+08:00")   # nothing left in the next seven days
        page.reload()
        week.locator(".yp-agenda__note", has_text="2027年1月23日").wait_for()
        assert week.locator(".yp-agenda__list > li:visible").all_inner_texts() == ["这七天没有活动。"]
