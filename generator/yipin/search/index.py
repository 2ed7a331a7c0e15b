"""Pagefind indexes the finished site.

Pagefind (npm, pinned in yipin/tools/package.json) runs once over the built HTML and writes
its index into ``pagefind/`` in the site. What it indexes is marked in the templates:
``data-pagefind-body`` on case, street, district and guide pages
(themes/overrides/main.html), filters, sort keys and card metadata on case pages
(themes/pages/case_search.md.j2). The search scripts also load the OpenCC converter and the
list of characters it changes (variants.py), copied here into the site.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from yipin import tools
from yipin.errors import MachineError, YipinError
from yipin.search.variants import traditional_characters

__all__ = ["index_site", "EXCLUDE_SELECTORS"]

# Repeated furniture inside indexed pages: heading anchors (¶), the share QR code and the
# "last updated" line would otherwise show up in titles and excerpts.
EXCLUDE_SELECTORS = (".headerlink", ".yp-qr", ".yp-updated", ".yp-starter")
# What the search scripts load besides Pagefind: the OpenCC converter (copied from npm), and
# the characters it changes, so that the converter is fetched only for a query with one.
CONVERTER = ("assets/javascripts/vendor/opencc-t2cn.js", "dist/esm/t2cn.js")
TRADITIONAL = "assets/javascripts/vendor/opencc-traditional.js"


def index_site(site_dir: Path, site: Path | None = None) -> None:
    """Write Pagefind's index, and the converter files the search scripts load, into
    ``site_dir``. ``site``: the site's folder, whose own node_modules/ is used if it has one."""
    binary = tools.executable("pagefind", site)
    target, source = CONVERTER
    converter = tools.package_path("opencc-js", site) / source
    for needed, node_modules in ((binary, binary.parents[1]), (converter, converter.parents[3])):
        if not needed.is_file():
            raise MachineError(f"前端工具不完整，找不到 {needed}：请删去 {node_modules} 后重新运行，Yipin 会重新安装")
    (site_dir / target).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(converter, site_dir / target)
    (site_dir / TRADITIONAL).write_text(f'export default "{traditional_characters()}";\n', encoding="utf-8")
    command = [str(binary), "--site", str(site_dir), "--force-language", "zh",
               "--exclude-selectors", ", ".join(EXCLUDE_SELECTORS), "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        details = (result.stderr or result.stdout).strip()
        raise YipinError(f"建立搜索索引失败（Pagefind 退出码 {result.returncode}）：\n{details}")
