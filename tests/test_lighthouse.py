"""Lighthouse (mobile preset, default simulated throttling) on the home, a case and the
library page, served with gzip as a real server would: accessibility 100, best practices
100, SEO ≥ 95, performance ≥ 95. About 15 s a page: run with `make lighthouse`."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from .browser import CHROMIUM_ARGS, chromium_path, serve
from .conftest import REPO

pytestmark = pytest.mark.lighthouse

LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
PAGES = {"home": "", "case": "cases/zhouxin-lianjiang/", "library": "cases/"}
FLOORS = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 0.95}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_lighthouse_scores(sample_site, tmp_path, name, record_property):
    assert LIGHTHOUSE.is_file(), "lighthouse is missing: run `make test` (npm installs it)"
    report = tmp_path / "report.json"
    with serve(sample_site) as base:
        subprocess.run(
            [str(LIGHTHOUSE), base + PAGES[name], "--quiet", "--output=json", f"--output-path={report}",
             "--only-categories=performance,accessibility,best-practices,seo",
             "--chrome-flags=" + " ".join(["--headless=new", *CHROMIUM_ARGS])],
            env={**os.environ, "CHROME_PATH": chromium_path()}, check=True, timeout=180)
    result = json.loads(report.read_text(encoding="utf-8"))
    scores = {key: category["score"] for key, category in result["categories"].items()}
    for key, score in scores.items():
        record_property(f"lighthouse_{key}", score)
    failing = {
        key: [f"{ref['id']}: {result['audits'][ref['id']].get('displayValue', '')}"
              for ref in result["categories"][key]["auditRefs"]
              if ref.get("weight") and (result["audits"][ref["id"]].get("score") or 0) < 1]
        for key, floor in FLOORS.items() if scores[key] < floor
    }
    assert failing == {}, f"{name}: {scores}"
