"""Search over the built sample site: what Pagefind indexed, the relevance set, and the
case library's facets, URL state and no-JavaScript listing, in real Chromium."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup

from yipin.api.models import SearchPage
from yipin.content.models import KIND_LABELS
from yipin.content.validate import validate_content
from yipin.errors import YipinError
from yipin.search.index import index_site
from yipin.search.text import indexed_part
from yipin.search.variants import simplified_variants

from .browser import browser, serve
from .conftest import REPO, TESTS

pytestmark = pytest.mark.gates

RELEVANCE = yaml.safe_load((TESTS / "search_relevance.yaml").read_text(encoding="utf-8"))
RECALL_FLOOR = 0.9         # recall@3 over the relevance set
FIRST_RESULT_FLOOR = 0.9   # share of queries whose first result is relevant
FACETS = ("theme", "group", "province", "city", "district", "street", "kind", "year")
CASE_PAGE_LIMIT = 60_000


@pytest.fixture(scope="module")
def published():
    return [c for c in validate_content(REPO / "content").cases if c.record.status == "published"]


@pytest.fixture(scope="module")
def chromium(sample_site):
    with serve(sample_site) as base, browser() as instance:
        yield base, instance


@pytest.fixture
def base(chromium) -> str:
    return chromium[0]


@pytest.fixture
def page(chromium):
    context = chromium[1].new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def facet_values(case) -> dict[str, list[str]]:
    """The filter values a case page must carry, computed from its record."""
    r = case.record
    region = r.community.region
    values = {"province": [region.province], "city": [region.city], "district": [region.district],
              "street": [region.street] if region.street else [], "kind": [KIND_LABELS[r.community.kind]],
              "year": [str(r.brand.launched.year)] if r.brand.launched else [],
              "theme": list(r.themes), "group": list(r.groups)}
    return {k: v for k, v in values.items() if v}


def record_counts(cases) -> dict[str, Counter]:
    counts: dict[str, Counter] = {key: Counter() for key in FACETS}
    for case in cases:
        for key, values in facet_values(case).items():
            counts[key].update(values)
    return counts


def fragments(site: Path) -> list[dict]:
    return [json.loads(gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd"))
            for f in sorted((site / "pagefind" / "fragment").iterdir())]


# --- what is indexed --------------------------------------------------------------------

def test_index_holds_cases_places_and_guide_only(sample_site, published):
    urls = {f["url"] for f in fragments(sample_site)}
    cases = {u for u in urls if u.startswith("/cases/")}
    assert cases == {f"/cases/{c.id}/" for c in published}
    assert {u.split("/")[1] for u in urls} == {"cases", "streets", "districts", "guide"}
    assert "/cases/" not in urls and "/" not in urls  # listings would match every query


def test_drafts_are_never_indexed(sample_site):
    drafts = [c for c in validate_content(REPO / "content").cases if c.record.status == "draft"]
    assert drafts, "the sample content keeps a draft to test this"
    text = json.dumps(fragments(sample_site), ensure_ascii=False)
    for draft in drafts:
        assert draft.id not in text and draft.record.brand.name not in text
        assert not (sample_site / "cases" / draft.id).exists()


def test_case_pages_carry_one_filter_attribute_per_value(sample_site, published):
    for case in published:
        html = (sample_site / "cases" / case.id / "index.html").read_text(encoding="utf-8")
        assert len(html.encode()) < CASE_PAGE_LIMIT, case.id
        soup = BeautifulSoup(html, "html.parser")
        body = soup.select_one("[data-pagefind-body]")
        assert body["data-pagefind-filter"] == "type:case"
        found: dict[str, list[str]] = {}
        for tag in body.select("[data-pagefind-filter]"):
            key, _, value = tag["data-pagefind-filter"].partition(":")
            if tag is not body:
                found.setdefault(key, []).append(value)
        assert found == facet_values(case), case.id
        sorts = dict(t["data-pagefind-sort"].split(":", 1) for t in body.select("[data-pagefind-sort]"))
        assert set(sorts) == {"launched", "updated"}
        meta = {t["data-pagefind-meta"]: t.get_text() for t in body.select("[data-pagefind-meta]") if t is not body}
        assert meta["community"] == case.record.community.name and meta["summary"] == case.record.summary


def test_traditional_text_is_also_indexed_in_simplified():
    block = simplified_variants("<p>開展「為夕陽續電」服務，<b>老年人</b>集中</p><svg><text>夕陽</text></svg>")
    soup = BeautifulSoup(block, "html.parser").div
    assert soup.has_attr("hidden") and not soup.has_attr("data-pagefind-ignore")
    assert soup.get_text().split() == ["开展", "为夕阳续电", "服务"]
    assert simplified_variants("<p>开展“为夕阳续电”服务，老年人集中</p>") == ""


def test_the_search_text_indexes_as_the_case_pages_do(sample_site, tmp_path):
    """A portal indexes its members' published search text (api/v1/search.json): Pagefind
    must read from it what it reads from the member's own pages, word for word."""
    text = json.loads((sample_site / "api/v1/search.json").read_text(encoding="utf-8"))
    (tmp_path / "portal").mkdir()
    assert index_site(tmp_path / "portal", members=[SearchPage(**page) for page in text["pages"]]) == []
    own = {f["url"]: f for f in fragments(sample_site)}
    indexed = fragments(tmp_path / "portal")
    assert len(indexed) == text["count"] > 0
    for fragment in indexed:
        path = urlparse(fragment["url"]).path
        assert fragment["url"] == "https://yipin.example.org" + path
        assert {**fragment, "url": path} == own[path]


def test_the_search_text_keeps_only_what_pagefind_reads():
    page = ('<html><body><nav>菜单</nav><div class="x" data-pagefind-body data-pagefind-filter="type:case">'
            '<h1 id="t" class="t">标题 &amp; &lt;b&gt;<a class="headerlink" href="#t">¶</a></h1>'
            '<p style="color:red">一\n\n  二<br/><img src="a.png" alt="图 &quot;甲&quot;" class="yp-qr">'
            '<img src="b.png" alt="乙"></p><script>var x = "<p>";</script><svg><title>图标</title></svg>'
            '<div class="yp-updated">更新于</div><span data-pagefind-meta="summary">摘要</span></div>'
            '<footer>页脚</footer></body></html>')
    assert indexed_part(page) == (
        '<div data-pagefind-body="" data-pagefind-filter="type:case"><h1 id="t">标题 &amp; &lt;b&gt;</h1>'
        '<p>一 二<br><img src="b.png" alt="乙"></p><span data-pagefind-meta="summary">摘要</span></div>')
    assert indexed_part("<html><body><p>没有被索引的部分</p></body></html>") == ""


def test_an_index_is_reused_while_its_inputs_are_the_same(sample_site, tmp_path, monkeypatch):
    """A portal's build is mostly Pagefind over its members' pages: a rebuild with nothing
    changed copies the last index instead; a changed page indexes again."""
    text = json.loads((sample_site / "api/v1/search.json").read_text(encoding="utf-8"))
    pages = [SearchPage(**page) for page in text["pages"][:3]]
    cache, builds = tmp_path / "cache", []
    for name in ("first", "again", "changed"):
        site = tmp_path / name
        site.mkdir()
        (site / "index.html").write_text("<html lang=zh><body><div data-pagefind-body><h1>首页</h1>"
                                         f"<p>{'改过' if name == 'changed' else '原来'}</p></div></body></html>",
                                         encoding="utf-8")
        index_site(site, members=pages, cache=cache)
        builds.append({p.relative_to(site): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()})
        if name == "first":   # the second build must not run Pagefind
            monkeypatch.setattr("yipin.search.index._pagefind", lambda *args: pytest.fail("Pagefind ran again"))
        if name == "again":
            monkeypatch.undo()
    assert builds[0] == builds[1] != builds[2]
    assert [entry.name for entry in cache.iterdir()] != [] and len(list(cache.iterdir())) == 1


def test_a_broken_tool_folder_is_a_clear_error(tmp_path):
    """A site's own node_modules/ with pagefind's package.json but not its code."""
    (tmp_path / "node_modules" / "pagefind").mkdir(parents=True)
    (tmp_path / "node_modules" / "pagefind" / "package.json").write_text("{}", encoding="utf-8")
    with pytest.raises(YipinError) as info:
        index_site(tmp_path / "site", tmp_path)
    assert str(info.value) == (f"前端工具不完整，找不到 {tmp_path / 'node_modules/pagefind/lib/index.js'}："
                               f"请删去 {tmp_path / 'node_modules'} 后重新运行，Yipin 会重新安装")


# --- relevance ----------------------------------------------------------------------------

def settled(page) -> None:
    """The library has drawn its results and its facets for the latest change."""
    page.wait_for_selector("[data-yp-results][aria-busy=false]", state="attached")
    page.wait_for_selector("[data-yp-facets][aria-busy=false]", state="attached")


def run_query(page, query: str) -> list[str]:
    box = page.locator(".yp-library__input")
    box.fill(query)
    box.press("Enter")
    settled(page)
    return [href.strip("/").split("/")[-1] for href in
            page.locator("[data-yp-results] .yp-card a").evaluate_all("links => links.map(a => a.getAttribute('href'))")]


@pytest.fixture(scope="module")
def relevance(chromium):
    base, instance = chromium
    context = instance.new_context()
    page = context.new_page()
    page.goto(base + "cases/")
    rows = []
    for item in RELEVANCE:
        top = run_query(page, item["query"])[:3]
        relevant = item["relevant"]
        recall = len(set(top) & set(relevant)) / min(3, len(relevant))
        rows.append({**item, "top": top, "recall": recall, "first": bool(top) and top[0] in relevant})
    context.close()
    return rows


def test_relevance_set_is_large_and_varied():
    assert len(RELEVANCE) >= 30
    assert {"brand", "partial", "activity", "problem", "place", "traditional", "simplified"} <= {q["kind"] for q in RELEVANCE}


def test_relevance_recall_at_3_and_first_result(relevance, record_property):
    recall = sum(r["recall"] for r in relevance) / len(relevance)
    first = sum(r["first"] for r in relevance) / len(relevance)
    record_property("search recall@3", round(recall, 3))
    record_property("search first result right", round(first, 3))
    misses = "\n".join(f"{r['query']}: top {r['top']} expected {r['relevant']}" for r in relevance if r["recall"] < 1)
    assert recall >= RECALL_FLOOR and first >= FIRST_RESULT_FLOOR, f"recall@3 {recall:.3f}, first {first:.3f}\n{misses}"


def test_traditional_and_simplified_find_each_other(relevance):
    for row in relevance:
        if row["kind"] in {"traditional", "simplified"}:
            assert row["first"], row


# --- the library page ---------------------------------------------------------------------

def shown_counts(page) -> dict[str, Counter]:
    """Every facet's values and counts as displayed, after opening each facet in full."""
    while page.locator("details.yp-facet:not([open])").count():
        page.locator("details.yp-facet:not([open]) summary").first.click()
    while page.locator(".yp-facet__more").count():
        page.locator(".yp-facet__more").first.click()
    settled(page)
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll("details.yp-facet")].map(d => [
        d.dataset.facet, Object.fromEntries([...d.querySelectorAll("li")].map(li => [
            li.querySelector("input").value, Number(li.querySelector(".yp-count").textContent)]))]))""")


def tick(page, facet: str, value: str) -> None:
    box = page.locator(f"details[data-facet={facet}]")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    box.get_by_role("checkbox", name=re.compile(f"^{value}")).check()


def result_ids(page) -> list[str]:
    settled(page)
    return [h.strip("/").split("/")[-1] for h in page.locator("[data-yp-results] .yp-card a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")]


def test_facet_counts_equal_the_records(page, base, published):
    page.goto(base + "cases/")
    settled(page)
    expected = record_counts(published)
    assert shown_counts(page) == {k: dict(v) for k, v in expected.items() if v}

    tick(page, "province", "广东省")
    in_guangdong = [c for c in published if c.record.community.region.province == "广东省"]
    counts = shown_counts(page)
    by_region = record_counts(in_guangdong)
    assert counts["city"] == dict(by_region["city"]) and counts["theme"] == dict(by_region["theme"])
    assert counts["province"] == dict(record_counts(published)["province"])  # a facet keeps its own alternatives
    assert sorted(result_ids(page)) == sorted(c.id for c in in_guangdong)
    assert page.locator("[data-yp-status]").inner_text() == f"找到 {len(in_guangdong)} 个案例"


def test_a_url_with_filters_restores_the_same_view(page, base, published):
    page.goto(base + "cases/")
    settled(page)
    run_query(page, "社区")
    tick(page, "theme", "空间微改造")
    result_ids(page)
    tick(page, "province", "广东省")
    result_ids(page)
    page.get_by_label("排序").select_option("launched")
    view = result_ids(page)
    url = page.url
    assert parse_qs(urlparse(url).query) == {"q": ["社区"], "theme": ["空间微改造"], "province": ["广东省"],
                                             "sort": ["launched"]}
    checked = page.locator(".yp-facet input:checked").evaluate_all("boxes => boxes.map(b => b.name + ':' + b.value)")

    page.goto("about:blank")
    page.goto(url)
    assert result_ids(page) == view and view
    assert page.locator(".yp-library__input").input_value() == "社区"
    assert page.get_by_label("排序").input_value() == "launched"
    assert page.locator(".yp-facet input:checked").evaluate_all(
        "boxes => boxes.map(b => b.name + ':' + b.value)") == checked == ["theme:空间微改造", "province:广东省"]
    assert page.locator(".yp-chip").all_inner_texts() == ["主题：空间微改造 ×", "省份：广东省 ×"]

    page.get_by_role("button", name="清除筛选").click()
    result_ids(page)
    assert page.url.endswith("/cases/") and page.locator(".yp-chip").count() == 0
    assert page.locator("[data-yp-status]").inner_text() == f"共 {len(published)} 个案例，最近更新的在前"


def test_show_more_adds_cards_below_the_shown_ones(page, base, published):
    """显示更多 appends the next cards; the ones already shown stay the same elements (the
    page does not jump back while cards arrive)."""
    page.goto(base + "cases/")
    first = result_ids(page)
    assert len(first) == 12 < len(published)
    page.locator("[data-yp-results] .yp-card").first.evaluate("card => { card.dataset.kept = 'yes'; }")
    page.get_by_role("button", name="显示更多").click()
    assert result_ids(page)[:12] == first and len(result_ids(page)) == len(published)
    assert page.locator("[data-yp-results] .yp-card[data-kept=yes]").count() == 1
    assert page.get_by_role("button", name="显示更多").is_hidden()


def test_without_javascript_the_library_lists_every_case_by_region(chromium, sample_site, published):
    soup = BeautifulSoup((sample_site / "cases" / "index.html").read_text(encoding="utf-8"), "html.parser")
    listed: dict[str, str] = {}
    for heading in soup.select("article h2"):
        for link in heading.find_next_sibling("ul").select(".yp-index a"):
            listed[link["href"].strip("/")] = heading.get_text(strip=True).removesuffix("¶")
    assert listed == {c.id: " ".join([c.record.community.region.province, c.record.community.region.city,
                                      c.record.community.region.district]) for c in published}

    base, instance = chromium
    context = instance.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "cases/")
    assert page.locator("article .yp-index a").count() == len(published)
    assert not page.locator("[data-yp-library]").is_visible()
    context.close()

    context = instance.new_context()
    page = context.new_page()
    page.goto(base + "cases/")
    assert page.locator(".yp-index").count() == 0  # with scripts, <noscript> is not even parsed
    page.wait_for_selector("[data-yp-results][aria-busy=false] .yp-card", state="attached")
    context.close()


def test_header_search_shows_results_and_opens_the_library(page, base):
    page.goto(base + "cases/zhouxin-lianjiang/")
    box = page.locator(".yp-search__input")
    box.fill("為夕陽續電")
    page.wait_for_selector(".yp-search__panel:not([hidden]) .yp-search__hit")
    first = page.locator(".yp-search__hit").first
    assert first.get_attribute("href") == "/cases/yuqi-pinghu/"
    assert "案例" in first.inner_text()
    box.press("Enter")
    page.wait_for_url("**/cases/?q=*")
    assert result_ids(page)[0] == "yuqi-pinghu"


def test_library_fits_a_phone(chromium):
    base, instance = chromium
    context = instance.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(base + "cases/?theme=空间微改造")
    result_ids(page)
    while page.locator("details.yp-facet:not([open])").count():
        page.locator("details.yp-facet:not([open]) summary").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator(".yp-search-link").is_visible() and not page.locator(".yp-search").is_visible()
    context.close()
