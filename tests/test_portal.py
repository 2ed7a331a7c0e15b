"""The portal: three member sites built by Yipin in this session and served on loopback
ports of their own (A and B sample streets, C hostile), and a portal over them with a case
of its own. Nothing here reaches beyond 127.0.0.1."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from yipin.utils.report import to_terminal

from .browser import Server, browser
from .conftest import FIXTURE_CONTENT
from .portal_sites import PAYLOAD, build_site, hostile_content, sample_content, tamper, without_search_text
from .test_accessibility import serious_violations
from .test_csp import RECORD
from .test_gates import allowed, vnu


def _schema(site: Path, name: str) -> dict:
    """A schema of the API as the site publishes it (schema/api/)."""
    return json.loads((site / "schema/api" / name).read_text(encoding="utf-8"))


def _json(site: Path, path: str) -> dict:
    return json.loads((site / path).read_text(encoding="utf-8"))


def _count(network, name: str) -> int:
    """The cases a site publishes."""
    return _json(network.root / name / "site", "api/v1/cases.json")["count"]


def _page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def _build_portal(root: Path, urls: list[str], url: str) -> tuple[Path, str]:
    """Build the portal; returns its folder and what the build said on stderr."""
    said = io.StringIO()
    to_terminal()  # as `yipin build` prints Yipin's lines
    with contextlib.redirect_stderr(said):
        site = build_site(root, "清远市一社区一品牌", root / "content", url,
                          members=[{"url": member} for member in urls], region={"province": "广东省", "city": "清远市"})
    return site, said.getvalue()


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    root = tmp_path_factory.mktemp("portal")
    servers = {}
    for name in ("a", "b", "c", "portal"):
        (root / name / "site").mkdir(parents=True)
        servers[name] = Server(root / name / "site", cors=True)
    url = {name: server.url for name, server in servers.items()}
    sample_content(root / "a" / "content", ("zhouxin",))
    build_site(root / "a", "洲心街道一社区一品牌", root / "a" / "content", url["a"])
    content_b = sample_content(root / "b" / "content", ("liujiabao",))
    with (content_b / "cases" / "liujiabao-hongxin.yaml").open("a", encoding="utf-8") as record:
        record.write(f"inspired_by: {url['a']}cases/zhouxin-lianjiang/\n")
    build_site(root / "b", "刘家堡街道一社区一品牌", content_b, url["b"])
    build_site(root / "c", "某街道", hostile_content(root / "c" / "content"), url["c"])
    tamper(root / "c" / "site")
    shutil.copytree(FIXTURE_CONTENT, root / "portal" / "content")
    members = [url["a"], url["b"], url["c"]]
    portal, said = _build_portal(root / "portal", members, url["portal"])
    yield SimpleNamespace(root=root, servers=servers, url=url, portal=portal, said=said, members=members)
    for server in servers.values():
        server.stop()


def test_every_site_publishes_a_manifest_the_schema_accepts(network):
    for name in ("a", "b", "portal"):
        site = network.root / name / "site"
        manifest = _json(site, "api/v1/site.json")
        jsonschema.validate(manifest, _schema(network.portal, "site.schema.json"))
        assert manifest["url"] == network.url[name]
        assert manifest["links"]["cases"] == network.url[name] + "api/v1/cases.json"
        assert manifest["links"]["search"] == network.url[name] + "pagefind/"
        assert manifest["links"]["search_text"] == network.url[name] + "api/v1/search.json"
        text = _json(site, "api/v1/search.json")
        jsonschema.validate(text, _schema(network.portal, "search.schema.json"))
        assert sorted(page["url"] for page in text["pages"]) == \
            sorted(case["url"] for case in _json(site, "api/v1/cases.json")["cases"])
    a = _json(network.root / "a" / "site", "api/v1/site.json")
    assert (a["name"], a["counts"]["cases"], a["members"]) == ("洲心街道一社区一品牌", _count(network, "a"), [])
    assert "members" not in a["links"] or a["links"]["members"] is None
    members = _json(network.portal, "api/v1/members.json")
    jsonschema.validate(members, _schema(network.portal, "members.schema.json"))
    assert [m["url"] for m in members["members"]] == network.members
    assert all(m["current"] and m["indexed"] for m in members["members"])


def test_a_fresh_portal_build_says_nothing_about_its_members(network):
    assert "成员网站" not in network.said


def test_the_member_directory_has_a_card_per_street(network):
    page = _page(network.portal, "members/index.html")
    cards = page.select(".yp-member")
    assert [card.select_one(".yp-member__name").get_text() for card in cards] == [
        "洲心街道一社区一品牌", "刘家堡街道一社区一品牌", f"恶意网站 {PAYLOAD}"]
    assert [card.a["href"] for card in cards] == network.members
    assert cards[0].select_one(".yp-member__counts").get_text().startswith(f"{_count(network, 'a')} 个品牌")


def test_totals_and_region_pages_run_across_members(network):
    manifest = _json(network.portal, "api/v1/site.json")
    total = sum(_count(network, name) for name in ("a", "b", "c", "portal"))
    assert manifest["counts"]["cases"] == total > _count(network, "portal")
    home = _page(network.portal, "index.html")
    totals = {dt.get_text(): dd.get_text() for dt, dd in zip(home.select(".yp-totals dt"), home.select(".yp-totals dd"), strict=True)}
    assert totals["品牌案例"] == str(total)
    street = _page(network.portal, "streets/qingcheng-zhouxin/index.html")
    links = [a["href"] for a in street.select(".yp-cards .yp-card a")]
    assert len(links) == _count(network, "a") and all(link.startswith(network.url["a"] + "cases/zhouxin-") for link in links)
    assert {m.get_text() for m in street.select(".yp-card__member")} == {"来自 洲心街道一社区一品牌"}
    # The portal links to the members' pages and never copies them.
    assert not (network.portal / "cases" / "zhouxin-lianjiang").exists()


def test_the_calendar_combines_the_members_activities(network):
    feed = Calendar.from_ical((network.portal / "calendar.ics").read_bytes())
    urls = {str(event["URL"]) for event in feed.walk("VEVENT")}
    assert any(url.startswith(network.url["a"] + "cases/") for url in urls)
    assert network.url["portal"] + "cases/base/" in urls
    months = [json.loads(p.read_text(encoding="utf-8")) for p in (network.portal / "calendar/data").glob("*.json")]
    remote = [s for month in months for s in month["series"] if s["url"].startswith(network.url["b"])]
    assert remote and all(s["ics"].startswith(network.url["b"]) for s in remote)
    # activities.json stays the portal's own: other portals read it.
    own = _json(network.portal, "api/v1/activities.json")
    assert {o["url"] for o in own["occurrences"]} == {network.url["portal"] + "cases/base/"}


def test_a_hostile_member_puts_no_markup_into_the_portal(network):
    for page in network.portal.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for element in soup.find_all(True):
            assert not [a for a in element.attrs if a.startswith("on")], (page, element)
            assert not (element.name == "img" and element.get("src") == "x"), page
            assert not (element.name == "b" and "恶意街道" in element.get_text()), page
            href = element.get("href") or ""
            assert not href.lower().startswith("javascript:"), page
        for script in soup.find_all("script"):
            assert "__pwned" not in script.get_text(), page
    members = _page(network.portal, "members/index.html")
    assert f"恶意网站 {PAYLOAD}" in members.get_text()
    feed = Calendar.from_ical((network.portal / "calendar.ics").read_bytes())
    titles = {str(event["SUMMARY"]) for event in feed.walk("VEVENT")}
    assert f"活动 {PAYLOAD}" in titles


def test_a_member_cannot_claim_copies_for_another_site(network):
    manifest = _json(network.portal, "api/v1/site.json")
    assert {(i["case"], i["inspired_by"]) for i in manifest["inspirations"]} == {
        (network.url["b"] + "cases/liujiabao-hongxin/", network.url["a"] + "cases/zhouxin-lianjiang/")}


def test_the_portal_shows_the_most_copied_cases(network):
    home = _page(network.portal, "index.html")
    item = home.select_one(".yp-copied li")
    assert item.a["href"] == network.url["a"] + "cases/zhouxin-lianjiang/"
    assert item.select_one(".yp-count").get_text() == "被 1 个社区借鉴"


def test_the_origin_learns_who_copied_it_at_its_next_build(network):
    root = network.root / "a"
    build_site(root, "洲心街道一社区一品牌", root / "content", network.url["a"], network=[network.url["portal"]])
    page = _page(root / "site", "cases/zhouxin-lianjiang/index.html")
    section = page.select_one(".yp-network")
    assert section.select_one(".yp-network__count").get_text() == "已被 1 个社区借鉴："
    link = section.select_one(".yp-network__copies a")
    assert link["href"] == network.url["b"] + "cases/liujiabao-hongxin/"
    copier = _page(network.root / "b" / "site", "cases/liujiabao-hongxin/index.html")
    assert copier.select_one(".yp-network__from a")["href"] == network.url["a"] + "cases/zhouxin-lianjiang/"
    assert copier.select_one(".yp-network__from a").get_text() == f"{network.url['a'].split('/')[2].split(':')[0]} 的一个案例"
    # Told of the portal, the copier learns the origin's name from the portal's manifest.
    root = network.root / "b"
    build_site(root, "刘家堡街道一社区一品牌", root / "content", network.url["b"], network=[network.url["portal"]])
    copier = _page(root / "site", "cases/liujiabao-hongxin/index.html")
    assert copier.select_one(".yp-network__from").get_text() == "借鉴自 连江营造计划 · 连江社区"


def test_the_portal_pages_are_valid_and_accessible(network):
    """The pages only a portal has, and those its members change, through the gates' tools."""
    pages = ["index.html", "members/index.html", "cases/index.html", "calendar/index.html",
             "streets/anning-liujiabao/index.html", "districts/index.html"]
    result = subprocess.run([shutil.which("java"), "-jar", str(vnu()), "--errors-only", "--format", "json",
                             *(str(network.portal / page) for page in pages)], capture_output=True, text=True)
    errors = [m["message"] for m in json.loads(result.stderr or result.stdout)["messages"]
              if m["type"] == "error" and not allowed(m["message"])]
    assert errors == []
    with browser() as chromium:
        page = chromium.new_page(viewport={"width": 390, "height": 844}, bypass_csp=True)  # axe is injected inline
        for url in ("", "members/", "streets/anning-liujiabao/"):
            page.goto(network.url["portal"] + url)
            assert [v["id"] for v in serious_violations(page)] == [], url


def test_the_library_searches_every_member_in_chromium(network):
    with browser() as chromium:
        context = chromium.new_context()
        context.add_init_script(RECORD)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text))
        loaded = []
        page.on("request", lambda request: loaded.append(request.url))
        page.goto(network.url["portal"] + "cases/?q=" + "党建")
        page.wait_for_selector("[data-yp-results][aria-busy=false] .yp-card", timeout=20000)
        page.click("[data-yp-more]") if page.is_visible("[data-yp-more]") else None
        page.wait_for_timeout(500)
        hrefs = page.eval_on_selector_all(".yp-results .yp-card a", "links => links.map(a => a.href)")
        origins = {next((n for n in ("a", "b", "c", "portal") if h.startswith(network.url[n])), None) for h in hrefs}
        assert {"a", "b", "portal"} <= origins, errors
        assert page.evaluate("window.__pwned") is None
        assert page.evaluate("window.__csp") == []   # the members' origins, and nothing else, allowed
        assert page.is_hidden("[data-yp-missing]")
        assert not errors
        # One index, the portal's: the members' pages are in it, their bundles are not loaded.
        assert [url for url in loaded if "/pagefind/" in url and not url.startswith(network.url["portal"])] == []
        labels = page.eval_on_selector_all(".yp-results .yp-card__member", "spans => spans.map(s => s.textContent)")
        assert "来自 洲心街道一社区一品牌" in labels


def test_a_member_without_search_text_is_searched_in_its_own_index_and_named_when_that_breaks(network):
    """A member built before Yipin 0.4 publishes no search text: the reader's browser merges
    its own index. Here its entry answers and its index does not (a deploy half done), which
    would fail every search through Pagefind: it is named, and the rest searched."""
    meta = next((network.root / "c" / "site" / "pagefind").glob("*.pf_meta"))
    with without_search_text(network.root / "c" / "site"):
        _build_portal(network.root / "portal", network.members, network.url["portal"])
    assert [m["indexed"] for m in _json(network.portal, "api/v1/members.json")["members"]] == [True, True, False]
    with browser() as chromium:
        page = chromium.new_page()
        page.goto(network.url["portal"] + "cases/?q=党建")
        page.wait_for_selector("[data-yp-results][aria-busy=false] .yp-card", timeout=20000)
        hrefs = page.eval_on_selector_all(".yp-results .yp-card a", "links => links.map(a => a.href)")
        assert any(href.startswith(network.url["c"]) for href in hrefs)   # merged from its own bundle
        assert page.evaluate("window.__pwned") is None
    meta.rename(meta.with_suffix(".away"))
    try:
        with browser() as chromium:
            page = chromium.new_page()
            page.goto(network.url["portal"] + "cases/?q=党建")
            page.wait_for_selector("[data-yp-missing]:not([hidden])", timeout=20000)
            assert page.text_content("[data-yp-missing]") == \
                f"暂时无法搜索 恶意网站 {PAYLOAD} 的案例（网站无法访问），下面是其他网站的结果。"
            page.wait_for_selector("[data-yp-results][aria-busy=false] .yp-card", timeout=20000)
            hrefs = page.eval_on_selector_all(".yp-results .yp-card a", "links => links.map(a => a.href)")
            assert any(href.startswith(network.url["a"]) for href in hrefs)
            assert page.evaluate("window.__pwned") is None
    finally:
        meta.with_suffix(".away").rename(meta)
        _build_portal(network.root / "portal", network.members, network.url["portal"])


def test_a_member_that_goes_down_keeps_its_last_good_copy(network):
    network.servers["b"].stop()
    try:
        site, said = _build_portal(network.root / "portal", network.members, network.url["portal"])
        lines = [line for line in said.splitlines() if "成员网站" in line]
        assert len(lines) == 1 and lines[0].startswith(f"成员网站 {network.url['b']} 读取失败（连接不上")
        assert lines[0].endswith("：显示上次读到的内容（2025-03-20）") or "显示上次读到的内容" in lines[0]
        members = _json(site, "api/v1/members.json")["members"]
        assert [m["current"] for m in members] == [True, False, True]
        street = _page(site, "streets/anning-liujiabao/index.html")
        assert len(street.select(".yp-card")) == _count(network, "b")
        with browser() as chromium:   # its last good search text is in the portal's index
            page = chromium.new_page()
            page.goto(network.url["portal"] + "cases/?q=红心")
            page.wait_for_selector("[data-yp-results][aria-busy=false] .yp-card", timeout=20000)
            hrefs = page.eval_on_selector_all(".yp-results .yp-card a", "links => links.map(a => a.href)")
            assert network.url["b"] + "cases/liujiabao-hongxin/" in hrefs
            assert page.is_hidden("[data-yp-missing]")
    finally:
        network.servers["b"] = Server(network.root / "b" / "site", cors=True)  # another port: B stays down


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A government site cluster: members and the portal under one origin (no CORS header
    anywhere), one member on another origin that sends none either, and one that sends
    none and publishes no search text (Yipin before 0.4)."""
    root = tmp_path_factory.mktemp("cluster")
    for name in ("www", "liwan/site", "other/site", "old/site", "portal/site"):
        (root / name).mkdir(parents=True)
    for name in ("liwan", "portal"):  # each site's folder, published under the cluster's address
        (root / "www" / name).symlink_to(root / name / "site")
    www, other, old = Server(root / "www"), Server(root / "other" / "site"), Server(root / "old" / "site")
    build_site(root / "liwan", "荔湾街道", sample_content(root / "liwan" / "content", ("liwan",)), www.url + "liwan/")
    build_site(root / "other", "北镇街道", sample_content(root / "other" / "content", ("beizhen",)), other.url)
    build_site(root / "old", "渔岐街道", sample_content(root / "old" / "content", ("yuqi",)), old.url)
    shutil.copytree(FIXTURE_CONTENT, root / "portal" / "content")
    with without_search_text(root / "old" / "site"):
        portal, said = _build_portal(root / "portal", [www.url + "liwan/", other.url, old.url], www.url + "portal/")
    yield SimpleNamespace(www=www.url, other=other.url, portal=portal, said=said)
    for server in (www, other, old):
        server.stop()


def test_members_need_no_cors_header_and_an_older_one_without_it_is_named(cluster):
    assert "成员网站" not in cluster.said   # the build reads every member: CORS binds browsers only
    with browser() as chromium:
        page = chromium.new_page()
        page.goto(cluster.www + "portal/cases/?q=党建")
        page.wait_for_selector("[data-yp-missing]:not([hidden])", timeout=20000)
        assert page.text_content("[data-yp-missing]") == \
            "暂时无法搜索 渔岐街道 的案例（网站无法访问），下面是其他网站的结果。"
        page.wait_for_selector("[data-yp-results][aria-busy=false] .yp-card", timeout=20000)
        hrefs = page.eval_on_selector_all(".yp-results .yp-card a", "links => links.map(a => a.href)")
        assert any(href.startswith(cluster.www + "liwan/cases/liwan-") for href in hrefs)
        assert any(href.startswith(cluster.other + "cases/beizhen-") for href in hrefs)
        labels = page.eval_on_selector_all(".yp-results .yp-card__member", "spans => spans.map(s => s.textContent)")
        assert {"来自 荔湾街道", "来自 北镇街道"} <= set(labels)
