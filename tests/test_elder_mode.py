"""长辈模式: a labelled header toggle that enlarges text and spacing, raises contrast,
is keyboard-reachable and is remembered across pages."""

from __future__ import annotations

import pytest

from .browser import browser, serve

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
