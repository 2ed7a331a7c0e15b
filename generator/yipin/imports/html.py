"""A saved web page of an article (WeChat's "save as" of an mp.weixin.qq.com page, or any
article page) read with Python's own html.parser: its meta tags, its <title>, the text of
the few elements WeChat marks by id, its scripts, and its paragraphs.

WeChat marks the title h1#activity-name, the account's name #js_name, the time
em#publish_time and the body div#js_content; its scripts carry the time as ``var ct``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
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
    return parser.finished()


class _Parser(HTMLParser):
    """Linear in the page, however it nests or leaves elements open (40,000 unclosed <span>,
    200,000 nested <div>): the tags and marked ids around the text are counted, not searched,
    and text is gathered in lists, joined once at the end."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.open: list[tuple[str, str]] = []   # (tag, id) of the elements around the text
        self.tags: Counter[str] = Counter()      # how many of each tag are open
        self.marked: Counter[str] = Counter()    # how many elements of each marked id are open
        self.parts: dict[str, list[str]] = defaultdict(list)  # body, title, scripts, id:<id> → text

    def finished(self) -> Page:
        self.page.body, self.page.title, self.page.scripts = ("".join(self.parts[k]) for k in ("body", "title", "scripts"))
        self.page.ids = {i: "".join(self.parts[f"id:{i}"]) for i in sorted(_IDS) if f"id:{i}" in self.parts}
        return self.page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or "").lower()
            if key and "content" in values:
                self.page.meta.setdefault(key, values["content"])
        if tag in _BLOCK:
            self._text(BREAK)
        if tag not in _VOID:
            element_id = values.get("id", "") if values.get("id", "") in _IDS else ""
            self.open.append((tag, element_id))
            self.tags[tag] += 1
            self.marked[element_id] += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.tags[tag]:   # close it and whatever was left open inside; each element is closed once
            while True:
                closed, element_id = self.open.pop()
                self.tags[closed] -= 1
                self.marked[element_id] -= 1
                if closed == tag:
                    break
        if tag in _BLOCK:
            self._text(BREAK)

    def handle_data(self, data: str) -> None:
        if self.tags["script"]:
            self.parts["scripts"] += (data, "\n")
        elif self.tags["title"] and not self.tags["body"]:
            self.parts["title"].append(data)
        elif not any(self.tags[tag] for tag in _HIDDEN):
            self._text(data)

    def _text(self, text: str) -> None:
        for marked in _IDS:
            if self.marked[marked]:
                self.parts[f"id:{marked}"].append(text)
        self.parts["body"].append(text)
