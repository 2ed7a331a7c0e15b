"""长辈模式: a labelled header toggle that enlarges text and spacing, raises contrast,
is keyboard-reachable and is remembered across pages."""

from __future__ import annotations

import pytest

from .browser import browser, serve
from .test_accessibility import PAGE_TYPES, serious_violations

pytestmark = pytest.mark.gates


def test_elder_mode_enlarges_text_and_is_remembered(sample_site):
    with serve(sample_site) as base, browser() as chromium:
        page = chromium.new_page(viewport={"width": 390, "height": 844})
        page.goto(base + "cases/zhouxin-lianjiang/")
        body_size = "() => parseFloat(getComputedStyle(document.querySelector('.yp-prose p')).fontSize)"
        line_height = "() => parseFloat(getComputedStyle(document.querySelector('.yp-prose p')).lineHeight)"
        before, before_lh = page.evaluate(body_size), page.evaluate(line_height)
        toggle = page.get_by_role("button", name="长辈模式")
        assert toggle.get_attribute("aria-pressed") == "false"
        toggle.focus()
        page.keyboard.press("Enter")  # reachable and usable by keyboard
        assert page.get_by_role("button", name="标准模式").get_attribute("aria-pressed") == "true"
        assert page.evaluate(body_size) >= 1.25 * before
        assert page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.yp-slogan')).fontSize)") >= 1.25 * 22
        assert page.evaluate(line_height) > before_lh
        page.goto(base + "guide/")
        assert page.evaluate("() => document.documentElement.hasAttribute('data-yp-elder')")
        page.get_by_role("button", name="标准模式").click()
        page.goto(base)
        assert not page.evaluate("() => document.documentElement.hasAttribute('data-yp-elder')")


def test_elder_mode_keeps_every_page_type_accessible(sample_site):
    """Its high-contrast colours must hold everywhere they apply, the footer on dark included."""
    with serve(sample_site) as base, browser() as chromium:
        page = chromium.new_page(viewport={"width": 390, "height": 844}, bypass_csp=True)  # axe is injected inline
        page.goto(base)
        page.get_by_role("button", name="长辈模式").click()
        found = {}
        for name, url in PAGE_TYPES.items():
            page.goto(base + url)
            found[name] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious_violations(page)]
        assert found == {name: [] for name in PAGE_TYPES}
