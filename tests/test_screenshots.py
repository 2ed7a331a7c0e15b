"""Every page type at 390 and 1280 px in Chromium, compared with the committed references in
tests/screenshots/, so that a layout regression fails CI. `make screenshots` refreshes them
(YIPIN_SCREENSHOTS=update) after a change meant to alter the look: look at the new ones
before committing them.

The sample is built with a fixed calendar day and the browser's clock is fixed to it, so
the month grids and 本周活动 show the same days every run; pictures are loaded eagerly and
animations stopped. A page passes when its size is the reference's and at most MAX_CHANGED of
its pixels differ visibly (font hinting and antialiasing may move a few edges). On a failure
the new screenshot and a difference image are in test-artifacts/screenshots/regressions/.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from .browser import browser, serve
from .conftest import REPO, build

REFERENCES = Path(__file__).with_name("screenshots")
REGRESSIONS = REPO / "test-artifacts" / "screenshots" / "regressions"
UPDATE = os.environ.get("YIPIN_SCREENSHOTS") == "update"
TODAY = "2026-03-02"                      # a Monday: the sample's example activities fill the month
CLOCK = f"{TODAY}T09:00:00+08:00"
VISIBLE = 40                               # a channel difference (0-255) the eye notices
MAX_CHANGED = 0.002                        # share of the pixels that may differ visibly

PAGES = {
    "home": "",
    "library": "cases/?theme=党建引领",
    "case": "cases/zhouxin-lianjiang/",
    "street": "streets/qingcheng-zhouxin/",
    "district": "districts/",
    "calendar": "calendar/",
    "guide": "guide/",
    "not-found": "404.html",
}
VIEWPORTS = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 800}}
SETTLED = {"library": "[data-yp-results][aria-busy=false] .yp-card"}

EAGER = """async () => {
  for (const img of document.images) img.loading = "eager";
  await Promise.all([...document.images].map((img) => img.decode().catch(() => null)));
  await document.fonts.ready;
}"""


@pytest.fixture(scope="module")
def fixed_site(tmp_path_factory) -> Path:
    """The sample site, its calendars reckoned from TODAY."""
    tmp = tmp_path_factory.mktemp("screenshots")
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for relative in ("docs", "content"):
        text = text.replace(f": {relative}\n", f": {REPO / relative}\n")
    text = text.replace("  - yipin:\n", f"  - yipin:\n      calendar_today: {TODAY}\n", 1)
    (tmp / "mkdocs.yml").write_text(text, encoding="utf-8")
    return build(tmp / "mkdocs.yml")


@pytest.fixture(scope="module")
def shots(fixed_site):
    """name → the screenshot of each page type at each width, as decoded RGB images."""
    taken = {}
    with serve(fixed_site) as base, browser() as chromium:
        for width, viewport in VIEWPORTS.items():
            context = chromium.new_context(viewport=viewport, device_scale_factor=1, locale="zh-CN",
                                           timezone_id="Asia/Shanghai", reduced_motion="reduce")
            page = context.new_page()
            page.clock.set_fixed_time(CLOCK)
            for kind, path in PAGES.items():
                page.goto(base + path, wait_until="networkidle")
                if kind in SETTLED:
                    page.wait_for_selector(SETTLED[kind], timeout=20000)
                page.evaluate(EAGER)
                png = page.screenshot(full_page=True, animations="disabled", caret="hide")
                taken[f"{kind}-{width}"] = _stored(Image.open(io.BytesIO(png)))
            context.close()
    return taken


@pytest.mark.parametrize("name", [f"{kind}-{width}" for kind in PAGES for width in VIEWPORTS])
def test_each_page_type_looks_as_its_reference(shots, name):
    shot, reference_file = shots[name], REFERENCES / f"{name}.png"
    if UPDATE:
        REFERENCES.mkdir(exist_ok=True)
        _save(shot, reference_file)
        return
    assert reference_file.is_file(), f"no reference for {name}: run `make screenshots`, look at it, commit it"
    reference = Image.open(reference_file).convert("RGB")
    changed = _changed(shot, reference) if shot.size == reference.size else 1.0
    if changed > MAX_CHANGED:
        REGRESSIONS.mkdir(parents=True, exist_ok=True)
        _save(shot, REGRESSIONS / f"{name}.png")
        if shot.size == reference.size:
            ImageChops.difference(shot, reference).save(REGRESSIONS / f"{name}-difference.png")
    assert shot.size == reference.size, f"{name}: {shot.size} now, {reference.size} in the reference"
    assert changed <= MAX_CHANGED, f"{name}: {changed:.2%} of the pixels differ (see {REGRESSIONS})"


def _changed(shot: Image.Image, reference: Image.Image) -> float:
    """The share of pixels whose largest channel difference is VISIBLE or more."""
    difference = ImageChops.difference(shot, reference).convert("L").point(lambda v: 255 if v >= VISIBLE else 0)
    return difference.histogram()[255] / (shot.width * shot.height)


def _stored(image: Image.Image) -> Image.Image:
    """As a reference is kept: 256 colours keep a page of text small and sharp enough to compare."""
    return image.convert("RGB").quantize(256, dither=Image.Dither.NONE).convert("RGB")


def _save(image: Image.Image, path: Path) -> None:
    image.quantize(256, dither=Image.Dither.NONE).save(path, optimize=True)
