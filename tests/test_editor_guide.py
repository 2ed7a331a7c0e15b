"""The editor set-up shipped in the repository and the editor guide pages about it."""

from __future__ import annotations

import json
from fnmatch import fnmatch
from pathlib import Path

from bs4 import BeautifulSoup

from .conftest import REPO


def expand(pattern: str) -> list[str]:
    """'a/*.{yaml,yml}' -> ['a/*.yaml', 'a/*.yml'] (the one brace form the settings use)."""
    if "{" not in pattern:
        return [pattern]
    head, rest = pattern.split("{", 1)
    options, tail = rest.split("}", 1)
    return [head + option + tail for option in options.split(",")]


def test_vscode_maps_every_content_file_to_its_schema():
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    for schema in mapping:
        assert (REPO / schema).is_file(), schema
    for path in (REPO / "content").rglob("*.yaml"):
        relative = path.relative_to(REPO).as_posix()
        matched = [s for s, pattern in mapping.items() if any(fnmatch(relative, p) for p in expand(pattern))]
        assert len(matched) == 1, relative
        kind = {"cases": "case", "streets": "street"}.get(path.parent.name, "taxonomy")
        assert matched[0] == f"./schema/{kind}.schema.json"
    assert json.loads((REPO / ".vscode" / "extensions.json").read_text())["recommendations"] == ["redhat.vscode-yaml"]


def test_the_guide_pages_are_built_with_their_screenshots(sample_site: Path):
    for page, title in [("workflow", "工作流程：从想法到上线"), ("editors", "编辑器设置"), ("cms", "网页编辑"),
                        ("handin", "案例汇编、实施方案和统计表")]:
        soup = BeautifulSoup((sample_site / "guide" / page / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert soup.find("h1").get_text(strip=True).startswith(title)
        for image in soup.select("article img"):
            assert (sample_site / "guide" / page / image["src"]).resolve().is_file(), image["src"]
            assert image.get("alt"), image["src"]
    images = sorted(p.name for p in (REPO / "docs" / "guide" / "images").glob("*.png"))
    assert images == ["book-case-page.png", "case-page.png", "cms-cases.png", "cms-edit-case.png", "cms-login.png", "cms-new-case.png"]
    assert all((REPO / "docs" / "guide" / "images" / name).stat().st_size < 150_000 for name in images)
