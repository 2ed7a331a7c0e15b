"""Simplified and traditional Chinese: no search engine converts between them.

The browser converts every query to simplified Chinese with opencc-js (t2s); here each page
whose text changes under the same OpenCC conversion gets the converted words in a hidden,
indexed block (the core adds it to the pages it renders, the MkDocs plugin to the
hand-written ones). So 為夕陽續電 finds 为夕阳续电, and 党建引领 finds a page that only says
黨建引領.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

__all__ = ["simplified_variants", "to_simplified", "traditional_characters"]

_BMP_HAN = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
_HIDDEN_ELEMENTS = re.compile(r"<(script|style|svg)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc  # the C++ OpenCC; its data version matches opencc-js in tools/package.json

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
