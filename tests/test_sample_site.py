"""The sample content built into the real site: what a reader and a program see."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from bs4 import BeautifulSoup

from yipin.content.validate import validate_content

from .conftest import REPO

SITE_URL = "https://yipin.example.org/"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(sample_site) -> Path:
    return sample_site


@pytest.fixture(scope="module")
def content():
    return validate_content(REPO / "content")


def soup_of(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def published(content):
    return [c for c in content.cases if c.record.status == "published"]


def test_every_published_case_has_its_page(site, content):
    for case in published(content):
        record = case.record
        soup = soup_of(site, f"cases/{case.id}")
        article = soup.select_one("article")
        assert article.find("h1").get_text(strip=True).removesuffix("¶") == record.brand.name
        crumbs = [li.get_text(strip=True) for li in article.select(".yp-breadcrumb li")]
        region = record.community.region
        assert crumbs[:3] == [region.province, region.city, region.district]
        assert crumbs[-1] == record.community.name
        links = [a["href"] for a in article.select(".yp-breadcrumb a")]
        assert links[0].startswith("../../districts/")
        if region.street:
            assert links[1].startswith("../../streets/") and (site / "cases" / case.id / links[1] / "index.html").is_file()
        metrics = article.select(".yp-metric dt")
        assert [m.get_text() for m in metrics] == [m.label for m in record.metrics]
        steps = [li.get_text() for li in article.select(".yp-steps li")]
        assert steps == list(record.replication.steps)
        sources = article.select(".yp-sources li")
        assert len(sources) == len(record.sources)
        assert record.sources[0].publisher in sources[0].get_text()
        assert article.select_one(".yp-qr svg[role=img]") is not None
        assert soup.find("meta", property="og:title")["content"].startswith(record.brand.name)
        assert soup.find("meta", attrs={"name": "description"})["content"] == record.summary
        assert (site / "cases" / case.id / "starter.yaml").is_file()


def test_street_pages_list_exactly_their_cases(site, content):
    by_street = defaultdict(set)
    for case in published(content):
        region = case.record.community.region
        if region.street:
            by_street[region.street].add(case.record.brand.name)
    pages = sorted((site / "streets").glob("*/index.html"))
    assert len(pages) == len(by_street)
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        name = soup.select_one("article h1").get_text(strip=True).removesuffix("¶")
        brands = {b.get_text() for b in soup.select(".yp-card__brand")}
        assert brands == by_street[name], name


def test_a_street_profile_intro_is_rendered_markdown(site):
    """The profile's intro is a Markdown field: its paragraphs are paragraphs on the page,
    never their tags shown as text."""
    intro = BeautifulSoup((site / "streets/qingcheng-zhouxin/index.html").read_text(encoding="utf-8"),
                          "html.parser").select_one(".yp-intro")
    paragraphs = intro.select("p")
    assert len(paragraphs) >= 2 and paragraphs[0].get_text().startswith("洲心街道是")
    assert "<p>" not in intro.get_text()


def test_drafts_appear_in_no_output(site, content):
    drafts = [c for c in content.cases if c.record.status == "draft"]
    assert drafts, "the sample content should include a draft"
    for draft in drafts:
        assert not (site / "cases" / draft.id).exists()
        for path in site.rglob("*"):
            if path.is_file() and path.suffix in {".html", ".json", ".xml", ".txt", ".yaml"}:
                text = path.read_text(encoding="utf-8")
                assert draft.id not in text and draft.record.brand.name not in text, path


def test_case_json_validates_against_the_published_schema(site, content):
    schema = json.loads((site / "schema" / "case.schema.json").read_text(encoding="utf-8"))
    listing = json.loads((site / "api" / "v1" / "cases.json").read_text(encoding="utf-8"))
    assert listing["count"] == len(published(content)) == len(listing["cases"])
    for entry in listing["cases"]:
        assert entry["url"] == f"{SITE_URL}cases/{entry['id']}/"
        full = json.loads((site / "api" / "v1" / "cases" / f"{entry['id']}.json").read_text(encoding="utf-8"))
        jsonschema.validate(full["record"], schema)
        assert full["html"]["story.practices[0].body"].startswith("<")


def test_taxonomy_json_counts_cases(site, content):
    taxonomy = json.loads((site / "api" / "v1" / "taxonomy.json").read_text(encoding="utf-8"))
    for term in taxonomy["themes"]:
        assert term["cases"] == sum(term["term"] in c.record.themes for c in published(content))


def test_atom_feed_parses_newest_first(site, content):
    feed = ET.parse(site / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(published(content))
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert all(e.find(f"{ATOM}id").text.startswith(SITE_URL + "cases/") for e in entries)


def test_sitemap_and_robots_use_the_real_site_url(site):
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    locations = [u.find("{http://www.sitemaps.org/schemas/sitemap/0.9}loc").text for u in sitemap]
    assert locations and all(loc.startswith(SITE_URL) for loc in locations)
    assert f"Sitemap: {SITE_URL}sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")


def test_home_page_shows_totals_and_featured_brands(site, content):
    soup = soup_of(site, "")
    totals = {div.dt.get_text(): int(div.dd.get_text()) for div in soup.select(".yp-totals > div")}
    cases = published(content)
    assert totals["品牌案例"] == len(cases)
    assert totals["省份"] == len({c.record.community.region.province for c in cases})
    assert len(soup.select(".yp-cards .yp-card")) >= 3
    hrefs = {a["href"] for a in soup.select(".yp-home-links a")}
    assert {"cases/", "districts/", "guide/"} <= hrefs


RESOURCE_ATTRS = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "srcset",
                  "video": "src", "audio": "src", "embed": "src", "object": "data"}


def test_nothing_is_loaded_from_another_host(site):
    """Every script, style, font, image or frame comes from the site itself."""
    external = []
    for page in site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in RESOURCE_ATTRS.items():
            for element in soup.find_all(tag):
                value = element.get(attr) or ""
                if tag == "link" and not set(element.get("rel", [])) & {"stylesheet", "icon", "preload", "modulepreload", "manifest"}:
                    continue
                if urlparse(value).netloc or value.startswith("//"):
                    external.append(f"{page.relative_to(site)}: <{tag} {attr}={value}>")
    for sheet in site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", sheet.read_text(encoding="utf-8")) + \
                re.findall(r"@import\s+['\"]([^'\"]+)", sheet.read_text(encoding="utf-8")):
            if urlparse(url).netloc or url.startswith("//"):
                external.append(f"{sheet.relative_to(site)}: {url}")
    assert external == []


def test_case_pages_stay_small(site, content):
    sizes = {c.id: (site / "cases" / c.id / "index.html").stat().st_size for c in published(content)}
    assert max(sizes.values()) < 60_000, sizes


def test_chinese_headings_get_readable_anchors(site, content):
    case = published(content)[0]
    ids = [h.get("id") for h in soup_of(site, f"cases/{case.id}").select("article h2")]
    assert "做法与经过" in ids and "来源" in ids
