"""Member sites and portals for the portal tests: each member built from sample records by
Yipin in the test session and served on a loopback port of its own (another origin, with
CORS), or under one origin as a government site cluster serves them."""

from __future__ import annotations

import contextlib
import gzip
import html
import json
import shutil
from pathlib import Path

import yaml

from .conftest import FIXTURE_CONTENT, REPO, build, site_config

TODAY = "2025-06-01"   # every site's calendar reference: the same window everywhere
PAYLOAD = '<img src=x onerror="window.__pwned=1">'


def sample_content(target: Path, prefixes: tuple[str, ...]) -> Path:
    """The repository's sample content with only the cases (and street profiles) whose ids
    start with ``prefixes``."""
    shutil.copytree(REPO / "content", target)
    for record in (*(target / "cases").glob("*.yaml"), *(target / "streets").glob("*.yaml")):
        if not record.stem.startswith(prefixes):
            record.unlink()
    return target


def hostile_content(target: Path) -> Path:
    """Valid records whose every plain-text field is markup, script or Markdown."""
    shutil.copytree(FIXTURE_CONTENT, target)
    case = target / "cases" / "base.yaml"
    record = yaml.safe_load(case.read_text(encoding="utf-8"))
    record["brand"]["name"] = PAYLOAD
    record["brand"]["slogan"] = "[点我](javascript:window.__pwned=1)"
    record["community"]["name"] = "<script>window.__pwned=1</script>"
    record["community"]["region"]["street"] = "<b>恶意街道</b>"
    record["summary"] = f"摘要里有标记 {PAYLOAD} 和 <script>window.__pwned=1</script>，它们都只能是文字，不能变成页面上的元素。"
    record["activities"][0]["title"] = f"活动 {PAYLOAD}"
    record["activities"][0]["location"] = "<svg onload=window.__pwned=1>"
    case.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def build_site(root: Path, name: str, content: Path, url: str, **plugin: object) -> Path:
    """Build ``content`` as the site ``name`` published at ``url`` into root/site."""
    return build(site_config(root, content, site_url=url, site_name=name, calendar_today=TODAY, **plugin))


def tamper(site: Path) -> None:
    """What a hostile member does beyond its records: markup in its manifest, in its search
    text (escaped, so that it is text to Pagefind) and in its own search index (a fragment's
    text and title), and copies claimed for another site's case."""
    manifest_file = site / "api/v1/site.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest["name"] = f"恶意网站 {PAYLOAD}"
    manifest["organisation"] = "<script>window.__pwned=1</script>"
    manifest["inspirations"].append({"case": "https://elsewhere.example/cases/x/", "brand": "冒充", "community": "冒充",
                                     "inspired_by": "https://elsewhere.example/cases/y/"})
    manifest_file.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    text_file = site / "api/v1/search.json"
    text = json.loads(text_file.read_text(encoding="utf-8"))
    markup = html.escape(PAYLOAD)
    for page in text["pages"]:
        page["html"] = page["html"].replace("<h1", f'<p>{markup} 党建</p><h1 data-pagefind-meta="title:{markup}"', 1)
    text_file.write_text(json.dumps(text, ensure_ascii=False), encoding="utf-8")
    for fragment in (site / "pagefind/fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        data["content"] = f"{PAYLOAD} 党建 " + data["content"]
        data["meta"]["title"] = PAYLOAD
        fragment.write_bytes(gzip.compress(b"pagefind_dcd" + json.dumps(data, ensure_ascii=False).encode(), mtime=0))



@contextlib.contextmanager
def without_search_text(site: Path):
    """The member as Yipin before 0.4 published it: no search text, only its own index."""
    manifest_file = site / "api/v1/site.json"
    before = manifest_file.read_text(encoding="utf-8")
    manifest = json.loads(before)
    del manifest["links"]["search_text"]
    manifest_file.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    try:
        yield
    finally:
        manifest_file.write_text(before, encoding="utf-8")


__all__ = ["PAYLOAD", "TODAY", "build_site", "hostile_content", "sample_content", "tamper", "without_search_text"]
