"""Markdown written in records, rendered with the site's Markdown settings and then
sanitised: a record can format text, link and list, but no script, style, event
handler or frame ever reaches a page or the JSON (nh3, the Rust ammonia sanitiser).

The sanitiser's allow-list is also what `yipin check` holds a record to (``removed``):
whatever the sanitiser would drop — an HTML tag or attribute, a theme class such as
``{: .md-button}``, a link to ``javascript:`` — and every picture (the site loads nothing
from other hosts, and pictures belong in the gallery, where they get their sizes) is an
error with its line, rather than something that silently disappears from the page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import markdown
import nh3

from yipin.utils.text import join_cjk_breaks

__all__ = ["Prose", "Removed", "DEFAULT_MARKDOWN_EXTENSIONS"]

# Used where no MkDocs configuration supplies the site's own Markdown settings, and by `yipin check`.
DEFAULT_MARKDOWN_EXTENSIONS: list[Any] = ["tables", "attr_list", "sane_lists", "admonition"]

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark", "sub", "sup", "small",
    "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "code", "pre", "kbd", "abbr",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    "a", "div",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
# Classes only as Markdown's own admonitions (!!! note) write them: never the theme's.
ADMONITIONS = {"note", "abstract", "info", "tip", "success", "question", "warning", "failure", "danger", "bug",
               "example", "quote"}
ALLOWED_CLASSES = {"div": {"admonition", *ADMONITIONS}, "p": {"admonition-title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Lists and quotes nest: "- - - …" on one line is a list in a list in a list. Python-Markdown
# recurses once per level; how deep it gets before Python's stack overflows depends on its
# version (3.11 no longer overflows at 600), so the limit is ours: no page needs 20, and
# deeper text is refused by `yipin check` and shown as the text it is by a build.
MAX_NESTING = 20
_NESTED = re.compile(r"^[ \t]*((?:(?:[-*+]|\d{1,9}[.)])[ \t]+|>[ \t]*)+)", re.MULTILINE)
_MARKER = re.compile(r"[-*+>]|\d{1,9}[.)]")

# Markdown makes elements beyond paragraphs, emphasis, lists, code, quotes and tables only
# from these: HTML and autolinks (<), attribute lists ({), links and images ([), headings
# (# or an underline of = or -). Text without them needs no look for what the sanitiser drops.
_MAY_MAKE_MORE = re.compile(r"[<{\[#]|^[ ]{0,3}(?:=+|-+)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Removed:
    """Something in a Markdown field the sanitiser would drop: ``snippet`` is text of the
    source to find its line by; ``message`` says what and why, in Chinese."""

    code: str
    snippet: str
    message: str


class Prose:
    """Markdown → safe HTML with one configured Markdown instance (reset between uses)."""

    def __init__(self, extensions: list[Any], configs: dict[str, dict[str, Any]]):
        self._md = markdown.Markdown(extensions=extensions, extension_configs=configs)
        self._rendered: dict[str, str] = {}
        self._done: dict[str, str] = {}  # each field is shown on its page and in the JSON

    def html(self, text: str | None) -> str:
        if not text:
            return ""
        if text not in self._done:
            self._done[text] = nh3.clean(self._render(text), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                                         allowed_classes=ALLOWED_CLASSES, url_schemes=URL_SCHEMES,
                                         link_rel="noopener noreferrer")
        return self._done[text]

    def removed(self, text: str) -> list[Removed]:
        """What html() would drop from ``text``, every picture, and nesting too deep to render."""
        depth, line = _deepest(text)
        if depth > MAX_NESTING:
            return [Removed("markdown-nesting", line[:20], f"列表或引用嵌套了 {depth} 层，"
                                                          f"最多 {MAX_NESTING} 层：请检查这一行开头的 -、*、> 或编号")]
        if not _MAY_MAKE_MORE.search(text):
            return []
        finder = _Finder()
        finder.feed(self._render(text))
        finder.close()
        return finder.found

    def _render(self, text: str) -> str:
        if text not in self._rendered:
            if _deepest(text)[0] > MAX_NESTING:  # `yipin check` refuses it; a build shows the text
                self._rendered[text] = f"<p>{html.escape(text)}</p>"
            else:
                self._rendered[text] = self._md.reset().convert(join_cjk_breaks(text))
        return self._rendered[text]


def _deepest(text: str) -> tuple[int, str]:
    """How many list or quote markers open the most nested line of ``text``, and that line's markers."""
    deepest = max(_NESTED.finditer(text), key=lambda m: len(_MARKER.findall(m[1])), default=None)
    return (len(_MARKER.findall(deepest[1])), deepest[1]) if deepest else (0, "")


class _Finder(HTMLParser):
    """Walks rendered Markdown with the sanitiser's allow-list."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Removed] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "img":
            self.found.append(_picture(values.get("src", "")))
            return
        if tag not in ALLOWED_TAGS:
            self.found.append(_tag(tag))
            return
        for name, value in values.items():
            if name == "class":
                self._classes(tag, value)
            elif name not in ALLOWED_ATTRIBUTES.get(tag, ()):
                self.found.append(Removed("markdown-html", value or name,
                                          f"正文里不能写 HTML 属性 {name}，它会被删除：请只用 Markdown 的写法"))
            elif name == "href" and urlsplit(value).scheme.lower() not in URL_SCHEMES | {""}:
                self.found.append(Removed("markdown-link", value,
                                          f"链接“{value}”会被删除：链接只能指向 http、https、mailto 或 tel 地址"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def _classes(self, tag: str, value: str) -> None:
        extra = [name for name in value.split() if name not in ALLOWED_CLASSES.get(tag, ())]
        if extra:
            self.found.append(Removed("markdown-class", extra[0],
                                      f"不能使用网站主题的样式 {' '.join(extra)}，它会被删除：正文只能用 Markdown 的格式"))


def _picture(src: str) -> Removed:
    if urlsplit(src).scheme or src.startswith("//"):
        return Removed("markdown-image", src, f"正文里不能插入其他网站的图片（{src}）：网站不从其他网站加载任何内容。"
                                              "请把图片下载后放进 content/images/，写进图集 gallery")
    return Removed("markdown-image", src or "![", f"正文里不能插入图片（{src}）：请把图片写进图集 gallery，"
                                                  "网站会为它做出适合手机的尺寸")


def _tag(tag: str) -> Removed:
    if tag in {"h1", "h2"}:
        return Removed("markdown-heading", "#", "正文里的标题请从三级开始（### 标题）：一级和二级标题是页面自己的结构")
    return Removed("markdown-html", f"<{tag}", f"正文里不能写 HTML 标签 <{tag}>，它会被删除：请用 Markdown 写格式，"
                                                "如 **加粗**、[链接文字](https://…)")
