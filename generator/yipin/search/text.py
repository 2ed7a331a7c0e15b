"""api/v1/search.json: what Pagefind reads of each case page, for the portals over this site.

A portal searching 40 members' own Pagefind bundles in the browser loads about 22 KB of
each before the first result, whatever its size (README, "Portals"). So each site publishes
the part of its case pages that Pagefind indexes (the ``data-pagefind-body`` element), and a
portal indexes its members' pages into its own bundle under their own addresses: one index,
the same words, filters, metadata and ranking as the members' own.

Only what Pagefind reads is kept: elements, text, ``id`` (headings' anchors), ``lang``, an
image's ``src`` and ``alt`` (the first one is a result's picture when the page names none)
and the ``data-pagefind-*`` attributes; no scripts, styles, SVG, nor the furniture
the index leaves out (index.py's EXCLUDE_SELECTORS). That halves the text (about 7 KB a
case, 1.3 KB gzipped).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

from yipin.api.files import api_json
from yipin.api.models import SearchPage, SearchTextResponse
from yipin.search.index import EXCLUDE_SELECTORS

__all__ = ["indexed_part", "search_text"]

_KEPT = frozenset({"id", "lang", "alt"})
_SKIPPED = frozenset({"script", "style", "svg", "template"})
_EXCLUDED = frozenset(selector.removeprefix(".") for selector in EXCLUDE_SELECTORS)  # all class selectors
_SPACE = re.compile(r"\s+")
# Elements without an end tag: they open nothing.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr"})


def search_text(site_dir: Path, pages: Iterable[tuple[str, str]], version: int) -> str:
    """The search text of ``pages`` (each its path in the built site and its address)."""
    found = [SearchPage(url=url, html=part) for path, url in pages
             if (part := indexed_part((site_dir / path / "index.html").read_text(encoding="utf-8")))]
    return api_json(SearchTextResponse(version=version, count=len(found), pages=found))


def indexed_part(page: str) -> str:
    """The page's ``data-pagefind-body`` element with what Pagefind reads of it, or ""."""
    reader = _IndexedPart()
    reader.feed(page)
    reader.close()
    return "".join(reader.out)


class _IndexedPart(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.depth = 0      # open elements inside the body element; 0 before and after it
        self.done = False
        self.skipping = 0   # open elements inside a skipped one

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done or not (self.depth or any(name == "data-pagefind-body" for name, _ in attrs)):
            return
        if self.skipping or tag in _SKIPPED or _EXCLUDED.intersection((dict(attrs).get("class") or "").split()):
            self.skipping += tag not in _VOID
            return
        kept = "".join(f' {name}="{html.escape(value or "")}"' for name, value in attrs
                       if name in _KEPT or name.startswith("data-pagefind-") or (tag, name) == ("img", "src"))
        self.out.append(f"<{tag}{kept}>")
        self.depth += tag not in _VOID

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.depth or tag in _VOID:
            return
        if self.skipping:
            self.skipping -= 1
            return
        self.out.append(f"</{tag}>")
        self.depth -= 1
        self.done = self.depth == 0

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skipping:
            self.out.append(html.escape(_SPACE.sub(" ", data), quote=False))
