"""A saved web page of an article (WeChat's "save as" of an mp.weixin.qq.com page, or any
article page) read with Python's own html.parser: its meta tags, its <title>, the text of
the few elements WeChat marks by id, its scripts, and its paragraphs.

WeChat marks the title h1#activity-name, the account's name #js_name, the time
em#publish_time and the body div#js_content; its scripts carry the time as ``var ct``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["Page", "read_page"]

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
_BLOCK = {"address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer", "h1",
          "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"}
_HIDDEN = {"script", "style", "noscript", "template", "svg"}
_IDS = {"activity-name", "js_name", "publish_time", "js_content"}
BREAK = "\n"


@dataclass
class Page:
    meta: dict[str, str] = field(default_factory=dict)       # property or name (lower case) → content
    title: str = ""                                           # the <title> element's text
    ids: dict[str, str] = field(default_factory=dict)         # the marked elements' text, blocks on lines
    body: str = ""                                            # the body's text, blocks on lines
    scripts: str = ""

    def paragraphs(self) -> list[str]:
        """The article's paragraphs: those of #js_content, else of the whole body."""
        text = self.ids.get("js_content") or self.body
        return [line for line in (re.sub(r"\s+", " ", part).strip() for part in text.split(BREAK)) if line]

    def text_of(self, element_id: str) -> str:
        return re.sub(r"\s+", " ", self.ids.get(element_id, "")).strip()


def read_page(html: str) -> Page:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.page


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.open: list[tuple[str, str]] = []   # (tag, id) of the elements around the text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or "").lower()
            if key and "content" in values:
                self.page.meta.setdefault(key, values["content"])
        if tag in _BLOCK:
            self._text(BREAK)
        if tag not in _VOID:
            self.open.append((tag, values.get("id", "")))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, -1, -1):   # close it and whatever was left open inside
            if self.open[depth][0] == tag:
                del self.open[depth:]
                break
        if tag in _BLOCK:
            self._text(BREAK)

    def handle_data(self, data: str) -> None:
        tags = {tag for tag, _ in self.open}
        if "script" in tags:
            self.page.scripts += data + "\n"
        elif "title" in tags and "body" not in tags:
            self.page.title += data
        elif not tags & _HIDDEN:
            self._text(data)

    def _text(self, text: str) -> None:
        for marked in {element_id for _, element_id in self.open} & _IDS:
            self.page.ids[marked] = self.page.ids.get(marked, "") + text
        self.page.body += text
