"""Search: Pagefind indexes the finished site, and both scripts of Chinese find each other.

Pagefind (npm, pinned in package.json) runs once over the built HTML and writes its
index into ``pagefind/`` in the site. What it indexes is marked in the templates:
``data-pagefind-body`` on case, street, district and guide pages
(themes/overrides/main.html), filters, sort keys and card metadata on case pages
(themes/pages/case_search.md.j2).

Simplified and traditional Chinese: no search engine converts between them. The browser
converts every query to simplified Chinese with opencc-js (t2s); here each page whose text
changes under the same OpenCC conversion gets the converted words in a hidden, indexed
block (the core adds it to the pages it renders, the MkDocs plugin to the hand-written
ones). So 為夕陽續電 finds 为夕阳续电, and 党建引领 finds a page that only says 黨建引領.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from .errors import MachineError, YipinError

__all__ = ["PAGEFIND", "REPO", "index_site", "simplified_variants", "to_simplified", "traditional_characters"]

REPO = Path(__file__).resolve().parent.parent
PAGEFIND = Path("node_modules/.bin/pagefind")
# Repeated furniture inside indexed pages: heading anchors (¶), the share QR code and the
# "last updated" line would otherwise show up in titles and excerpts.
EXCLUDE_SELECTORS = (".headerlink", ".yp-qr", ".yp-updated", ".yp-starter")
# What the search scripts load besides Pagefind: the OpenCC converter (copied from npm), and
# the characters it changes, so that the converter is fetched only for a query with one.
CONVERTER = ("assets/javascripts/vendor/opencc-t2cn.js", Path("node_modules/opencc-js/dist/esm/t2cn.js"))
TRADITIONAL = "assets/javascripts/vendor/opencc-traditional.js"

_BMP_HAN = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
_HIDDEN_ELEMENTS = re.compile(r"<(script|style|svg)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc  # the C++ OpenCC; its data version matches opencc-js in package.json

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """OpenCC's traditional → simplified conversion (the browser converts queries the same way)."""
    return _t2s().convert(text)


def simplified_variants(page_html: str) -> str:
    """A hidden block with the simplified form of every run of Chinese text on the page
    that OpenCC converts, or "" when the page is simplified already (nearly always)."""
    if to_simplified(page_html) == page_html:  # one pass over the page in C++: the common case
        return ""
    text = html.unescape(_TAG.sub(" ", _HIDDEN_ELEMENTS.sub(" ", page_html)))
    variants = dict.fromkeys(s for run in _HAN_RUN.findall(text) if (s := to_simplified(run)) != run)
    if not variants:
        return ""
    words = html.escape(" ".join(variants), quote=False)
    return f'\n<div class="yp-variants" hidden lang="zh-CN">{words}</div>\n'


def traditional_characters() -> str:
    """Every character of the basic CJK blocks that OpenCC's t2s changes on its own."""
    chars = [chr(code) for start, end in _BMP_HAN for code in range(start, end + 1)]
    simplified = to_simplified("\n".join(chars)).split("\n")
    return "".join(c for c, s in zip(chars, simplified, strict=True) if c != s)


def index_site(site_dir: Path, *, root: Path = REPO) -> None:
    """Write Pagefind's index, and the converter files the search scripts load, into ``site_dir``."""
    binary = root / PAGEFIND
    if not binary.is_file():
        raise MachineError(f"找不到搜索索引工具 Pagefind（{binary}）。请在项目文件夹运行 make（会执行 npm install）后重试。")
    target, source = CONVERTER
    if not (root / source).is_file():
        raise MachineError(f"找不到繁简转换脚本 opencc-js（{root / source}）。请在项目文件夹运行 make 后重试。")
    (site_dir / target).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(root / source, site_dir / target)
    (site_dir / TRADITIONAL).write_text(f'export default "{traditional_characters()}";\n', encoding="utf-8")
    command = [str(binary), "--site", str(site_dir), "--force-language", "zh",
               "--exclude-selectors", ", ".join(EXCLUDE_SELECTORS), "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        details = (result.stderr or result.stdout).strip()
        raise YipinError(f"建立搜索索引失败（Pagefind 退出码 {result.returncode}）：\n{details}")
