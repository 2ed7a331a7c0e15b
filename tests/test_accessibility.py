"""Accessibility measured by axe-core in real Chromium, on every page type, at a phone and
a desktop viewport: zero serious or critical violations."""

from __future__ import annotations

import json

import pytest

from .browser import browser, serve
from .conftest import dev_tool

pytestmark = pytest.mark.gates


def axe() -> str:
    return str(dev_tool("axe-core", "axe.min.js"))


PAGE_TYPES = {
    "home": "",
    "library": "cases/",
    "case": "cases/zhouxin-lianjiang/",
    "street": "streets/qingcheng-zhouxin/",
    "district": "districts/liwan/",
    "places": "districts/",
    "calendar": "calendar/",
    "guide": "guide/",
    "fields": "guide/fields/",
}
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def serious_violations(page) -> list[dict]:
    """axe's serious and critical violations on the page as it is now (the page must have
    been opened with bypass_csp=True: axe is injected inline)."""
    page.add_script_tag(path=axe())
    report = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [v for v in report["violations"] if v["impact"] in {"serious", "critical"}]


@pytest.fixture(scope="module")
def axe_results(sample_site):
    results = {}
    with serve(sample_site) as base, browser() as chromium:
        for viewport_name, viewport in VIEWPORTS.items():
            page = chromium.new_page(viewport=viewport, bypass_csp=True)  # axe is injected inline
            for name, url in PAGE_TYPES.items():
                page.goto(base + url)
                results[(viewport_name, name)] = serious_violations(page)
            page.close()
    return results


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("page_type", sorted(PAGE_TYPES))
def test_no_serious_or_critical_axe_violations(axe_results, page_type, viewport, record_property):
    violations = axe_results[(viewport, page_type)]
    record_property("axe_violations", len(violations))
    summary = [{"rule": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:5]]}
               for v in violations]
    assert violations == [], json.dumps(summary, ensure_ascii=False, indent=1)
