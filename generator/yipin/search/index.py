"""Pagefind indexes the finished site.

Pagefind (npm, pinned in yipin/tools/package.json) runs once over the built HTML, through its
Node API (pagefind.mjs), and writes its index into ``pagefind/`` in the site; a portal's
index also holds its members' case pages (search/text.py). What it indexes is marked in the templates:
``data-pagefind-body`` on case, street, district and guide pages
(themes/overrides/main.html), filters, sort keys and card metadata on case pages
(themes/pages/case_search.md.j2). The search scripts also load the OpenCC converter and the
list of characters it changes (variants.py), copied here into the site.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from yipin import tools
from yipin.api.models import SearchPage
from yipin.errors import MachineError, YipinError
from yipin.search.variants import traditional_characters
from yipin.utils.staging import discard, new_staging, published

__all__ = ["index_site", "EXCLUDE_SELECTORS"]

# Repeated furniture inside indexed pages: heading anchors (¶), the share QR code and the
# "last updated" line would otherwise show up in titles and excerpts.
EXCLUDE_SELECTORS = (".headerlink", ".yp-qr", ".yp-updated", ".yp-starter")
# What the search scripts load besides Pagefind: the OpenCC converter (copied from npm), and
# the characters it changes, so that the converter is fetched only for a query with one.
CONVERTER = ("assets/javascripts/vendor/opencc-t2cn.js", "dist/esm/t2cn.js")
TRADITIONAL = "assets/javascripts/vendor/opencc-traditional.js"
SCRIPT = Path(__file__).with_name("pagefind.mjs")
SKIPPED = "skipped.json"   # beside a kept index: the member pages it left out


def index_site(site_dir: Path, site: Path | None = None, members: Sequence[SearchPage] = (),
               cache: Path | None = None) -> list[str]:
    """Write Pagefind's index, and the converter files the search scripts load, into
    ``site_dir``; ``members``: a portal's members' case pages, indexed under their addresses.
    ``site``: the site's folder, whose own node_modules/ is used if it has one. ``cache``: a
    folder keeping the last index, reused while its inputs are the same. Returns the
    addresses of member pages Pagefind could not read (left out)."""
    node = shutil.which("node")
    api = tools.package_path("pagefind", site) / "lib" / "index.js"
    target, source = CONVERTER
    converter = tools.package_path("opencc-js", site) / source
    if node is None:
        raise MachineError("找不到 node：建立搜索索引要用 Node.js 20 或更新的版本（安装前端工具时已经需要它）")
    for needed, node_modules in ((api, api.parents[2]), (converter, converter.parents[3])):
        if not needed.is_file():
            raise MachineError(f"前端工具不完整，找不到 {needed}：请删去 {node_modules} 后重新运行，Yipin 会重新安装")
    (site_dir / target).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(converter, site_dir / target)
    (site_dir / TRADITIONAL).write_text(f'export default "{traditional_characters()}";\n', encoding="utf-8")
    request = {"pagefind": str(api), "site": str(site_dir), "exclude": list(EXCLUDE_SELECTORS),
               "pages": [page.model_dump() for page in members]}
    kept = cache / _inputs_key(site_dir, api, request) if cache else None
    if kept is not None and (kept / "pagefind").is_dir():
        shutil.copytree(kept / "pagefind", site_dir / "pagefind")
        return json.loads((kept / SKIPPED).read_text(encoding="utf-8"))
    skipped = _pagefind(node, request)
    if kept is not None:
        _keep(site_dir / "pagefind", skipped, kept)
    return skipped


def _pagefind(node: str, request: dict[str, object]) -> list[str]:
    result = subprocess.run([node, str(SCRIPT)], input=json.dumps(request, ensure_ascii=False).encode(),
                            capture_output=True, check=False)
    if result.returncode != 0:
        details = (result.stderr or result.stdout).decode("utf-8", "replace").strip()
        raise YipinError(f"建立搜索索引失败（Pagefind 退出码 {result.returncode}）：\n{details}")
    return json.loads(result.stdout)["skipped"]


def _inputs_key(site_dir: Path, api: Path, request: dict[str, object]) -> str:
    """Everything Pagefind's output depends on: its version, our script and options, every
    HTML file of the site (a build writes the same bytes for the same content) and the
    members' pages. A portal whose members have not changed then reuses its index, which
    is most of its build (about 30 s for 5,000 member pages)."""
    digest = hashlib.sha256()
    for part in (api.parent.parent / "package.json", SCRIPT):
        digest.update(part.read_bytes())
    digest.update(json.dumps({**request, "pagefind": "", "site": ""}, ensure_ascii=False).encode())
    for page in sorted(site_dir.rglob("*.html")):
        digest.update(b"\0" + page.relative_to(site_dir).as_posix().encode() + b"\0")
        digest.update(page.read_bytes())
    return digest.hexdigest()[:32]


def _keep(index: Path, skipped: list[str], kept: Path) -> None:
    """The index as the only entry of the cache (an older one is of no more use)."""
    staging = new_staging(kept)
    try:
        shutil.copytree(index, staging / "pagefind")
        (staging / SKIPPED).write_text(json.dumps(skipped), encoding="utf-8")
        for entry in kept.parent.iterdir():
            if not entry.name.startswith("."):
                shutil.rmtree(entry, ignore_errors=True)
        staging.rename(kept)
        published(staging)
    finally:
        discard(staging)
