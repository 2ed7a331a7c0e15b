"""A reader's journey in real Chromium, at a phone and a desktop viewport, against the
built sample site on 127.0.0.1. No request may leave 127.0.0.1. Phone screenshots of
each page type are saved under test-artifacts/screenshots/."""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .browser import browser, serve
from .conftest import REPO

pytestmark = pytest.mark.gates

SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
FIXED_NOW = "2027-01-14T20:00:00+08:00"


@pytest.fixture(scope="module")
def journey(sample_site):
    """Run the journey once per viewport; returns what each run saw."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    seen: dict[str, dict] = {}
    with serve(sample_site) as base, browser() as chromium:
        for name, viewport in VIEWPORTS.items():
            context = chromium.new_context(viewport=viewport, accept_downloads=True,
                                           is_mobile=name == "phone", has_touch=name == "phone")
            hosts: set[str] = set()
            context.on("request", lambda request, hosts=hosts: hosts.add(urlparse(request.url).hostname or ""))
            page = context.new_page()
            page.clock.set_fixed_time(FIXED_NOW)   # "upcoming" is decided by the reader's clock
            seen[name] = _walk(page, base, name)
            seen[name]["hosts"] = hosts
            context.close()
    return seen


def _shot(page, viewport: str, kind: str) -> None:
    if viewport == "phone":
        page.screenshot(path=str(SCREENSHOTS / f"{kind}.png"), full_page=False)


def _walk(page, base: str, viewport: str) -> dict:
    result: dict = {}
    page.goto(base)
    result["home_title"] = page.title()
    _shot(page, viewport, "home")
    page.get_by_role("link", name="浏览案例库").first.click()
    page.wait_for_url("**/cases/")
    page.wait_for_selector("[data-yp-results][aria-busy=false] .yp-card", state="attached")
    result["library_cards"] = page.locator(".yp-results .yp-card").count()
    _shot(page, viewport, "library")
    page.locator(".yp-library__input").fill("连江")
    page.locator(".yp-library__input").press("Enter")
    page.locator(".yp-results .yp-card a", has_text="连江营造计划").first.click()
    page.wait_for_url("**/cases/zhouxin-lianjiang/")
    result["case_h1"] = page.locator("article h1").inner_text()
    _shot(page, viewport, "case")
    opener = page.locator("a[data-yp-lightbox]").first
    opener.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.yp-lightbox")
    dialog.locator("img").evaluate("img => img.complete && img.naturalWidth > 0 || new Promise(r => img.onload = r)")
    result["lightbox_open"] = dialog.evaluate("d => d.open")
    result["lightbox_width"] = dialog.locator("img").evaluate("img => img.naturalWidth")
    _shot(page, viewport, "lightbox")
    page.keyboard.press("Escape")
    result["lightbox_closed"] = not dialog.evaluate("d => d.open")
    result["focus_back"] = page.evaluate("() => document.activeElement.matches('a[data-yp-lightbox]')")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载起步模板（YAML）").click()
    result["starter"] = Path(download.value.path()).read_text(encoding="utf-8")
    page.get_by_role("link", name="洲心街道").first.click()
    page.wait_for_url("**/streets/qingcheng-zhouxin/")
    result["street_cards"] = page.locator(".yp-card").count()
    _shot(page, viewport, "street")
    page.goto(base + "districts/liwan/")
    _shot(page, viewport, "district")
    page.goto(base + "guide/")
    _shot(page, viewport, "guide")
    page.goto(base)
    page.locator(".yp-home-links").get_by_role("link", name="活动日历").click()
    page.wait_for_url("**/calendar/")
    page.locator(".yp-agenda__note", has_text="2027年1月14日").wait_for()
    upcoming = page.locator(".yp-agenda__list .yp-event:not(.yp-event--past)")
    result["first_upcoming"] = upcoming.locator("time").first.get_attribute("datetime")
    _shot(page, viewport, "calendar")
    # An activity goes into one's own calendar from its case page: one link per activity.
    upcoming.first.locator(".yp-event__case").click()
    page.wait_for_url("**/cases/zhouxin-lianjiang/")
    with page.expect_download() as download:
        page.locator(".yp-activity", has_text="腊八节送粥进楼院").locator(".yp-activity__ics").click()
    result["event_ics"] = Path(download.value.path()).read_text(encoding="utf-8")
    page.goto(base + "cases/yuqi-pinghu/")
    page.emulate_media(media="print")
    result["print_hidden"] = page.evaluate(
        "() => ['.md-header', '.md-sidebar--primary', '.md-footer'].every(s => "
        "!document.querySelector(s) || getComputedStyle(document.querySelector(s)).display === 'none')")
    result["print_qr"] = page.locator(".yp-qr svg").is_visible()
    result["pdf_pages"] = len(re.findall(rb"/Type\s*/Page\b(?!s)", page.pdf(format="A4")))
    page.emulate_media(media="screen")
    return result


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_journey_from_home_to_case_to_street(journey, viewport):
    seen = journey[viewport]
    assert "一品" in seen["home_title"]
    assert seen["library_cards"] == 12  # the first page of results, of 13 cases
    assert seen["case_h1"].startswith("连江营造计划")
    assert seen["starter"].startswith("# yaml-language-server: $schema=")
    assert seen["lightbox_open"] and seen["lightbox_width"] >= 960   # the large variant
    assert seen["lightbox_closed"] and seen["focus_back"]
    assert seen["street_cards"] == 5
    assert seen["first_upcoming"] == "2027-01-15"  # 腊八节 of the lunar year 2026, the next morning
    assert "SUMMARY:【示例】腊八节送粥进楼院" in seen["event_ics"] and seen["event_ics"].startswith("BEGIN:VCALENDAR")


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_printed_case_is_clean_a4(journey, viewport):
    seen = journey[viewport]
    assert seen["print_hidden"] and seen["print_qr"]
    assert 1 <= seen["pdf_pages"] <= 6


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_no_request_leaves_localhost(journey, viewport):
    assert journey[viewport]["hosts"] == {"127.0.0.1"}


def test_phone_screenshots_of_each_page_type_are_saved(journey):
    for kind in ["home", "library", "case", "lightbox", "street", "district", "guide", "calendar"]:
        assert (SCREENSHOTS / f"{kind}.png").stat().st_size > 10_000, kind


SHIFTS = """window.__shifts = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__shifts.push(e.value); })
  .observe({ type: "layout-shift", buffered: true });"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["cases/zhouxin-lianjiang/", "calendar/", ""])
def test_pages_do_not_shift_while_pictures_and_scripts_arrive(sample_site, path, width):
    """Pictures arrive late on a phone network, and scripts add controls: the boxes they
    will fill are there from the start (Lighthouse counts every shift against the page)."""
    with serve(sample_site) as base, browser() as chromium:
        page = chromium.new_page(viewport={"width": width, "height": 844})
        page.route("**/*.{webp,jpg,png}", lambda route: (time.sleep(0.8), route.continue_()))
        page.add_init_script(SHIFTS)
        page.goto(base + path, wait_until="domcontentloaded")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        assert sum(page.evaluate("window.__shifts")) < 0.01
