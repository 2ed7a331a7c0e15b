"""The Content-Security-Policy (generator/csp.py) in Debian's Chromium: every page type
works under it with zero violations, searches included (WebAssembly, the OpenCC converter),
and the policy never allows inline handlers, javascript: URLs or another host."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from yipin.render.csp import SITE_POLICY

from .browser import browser, serve
from .test_accessibility import PAGE_TYPES as AXE_PAGE_TYPES

pytestmark = pytest.mark.gates

# The page types of the accessibility gate, the library searching for 為夕陽 (a traditional
# query, which loads the converter) and the 404 page.
PAGE_TYPES = {**AXE_PAGE_TYPES, "library": "cases/?q=%E7%82%BA%E5%A4%95%E9%99%BD", "not-found": "404.html"}
# Every securitypolicyviolation event, recorded from the first script on.
RECORD = """window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));"""


def policy_of(html: str) -> str:
    meta = BeautifulSoup(html, "html.parser").find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None, "no Content-Security-Policy"
    return meta["content"]


def test_every_html_page_carries_a_policy_without_inline_or_foreign_sources(sample_site):
    pages = [p for p in sample_site.rglob("*.html") if "pagefind" not in p.parts]
    assert len(pages) > 20
    for page in pages:
        policy = policy_of(page.read_text(encoding="utf-8"))
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
        if "admin" in page.parts:
            continue  # its own policy, checked by the CMS tests
        for name, sources in SITE_POLICY.items():
            assert directives[name].split()[: len(sources)] == list(sources), (page, name)
        assert not re.search(r"https?:|\*", policy), page


def test_the_policy_comes_before_any_script(sample_site):
    for page in ("index.html", "cases/index.html", "404.html"):
        html = (sample_site / page).read_text(encoding="utf-8")
        assert html.index('http-equiv="Content-Security-Policy"') < html.index("<script")


@pytest.fixture(scope="module")
def visits(sample_site):
    seen = {}
    with serve(sample_site) as base, browser() as chromium:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(RECORD)
        page = context.new_page()
        messages: list[str] = []
        page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
        for name, url in PAGE_TYPES.items():
            messages.clear()
            page.goto(base + url)
            _use(page, name)
            page.wait_for_load_state("networkidle")
            seen[name] = page.evaluate("window.__csp") + list(messages)
        context.close()
    return seen


def _use(page, name: str) -> None:
    """Touch what the page's scripts do."""
    if name == "library":
        page.wait_for_selector("[data-yp-results][aria-busy=false] .yp-card", state="attached")
    if name == "home":
        page.locator(".yp-search__input").fill("义剪")
        page.wait_for_selector(".yp-search__hit", state="attached")
    if name == "case":
        page.locator("[data-yp-lightbox]").first.click()
        page.keyboard.press("Escape")
    page.locator(".yp-elder-toggle").click()


@pytest.mark.parametrize("page_type", sorted(PAGE_TYPES))
def test_no_csp_violation_on_any_page_type(visits, page_type, record_property):
    record_property("csp_violations", len(visits[page_type]))
    assert visits[page_type] == []
