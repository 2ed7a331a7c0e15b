"""Markdown written in records, rendered with the site's Markdown settings and then
sanitised: a record can format text, link and list, but no script, style, event
handler or frame ever reaches a page or the JSON (nh3, the Rust ammonia sanitiser)."""

from __future__ import annotations

from typing import Any

import markdown
import nh3

from .text import join_cjk_breaks

__all__ = ["Prose"]

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark", "sub", "sup", "small",
    "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "code", "pre", "kbd", "abbr",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    "a", "span", "div",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"},
    "div": {"class"}, "span": {"class"}, "p": {"class"}, "code": {"class"},
}


class Prose:
    """Markdown → safe HTML with one configured Markdown instance (reset between uses)."""

    def __init__(self, extensions: list[Any], configs: dict[str, dict[str, Any]]):
        self._md = markdown.Markdown(extensions=extensions, extension_configs=configs)
        self._done: dict[str, str] = {}  # each field is shown on its page and in the JSON

    def html(self, text: str | None) -> str:
        if not text:
            return ""
        if text not in self._done:
            rendered = self._md.reset().convert(join_cjk_breaks(text))
            self._done[text] = nh3.clean(rendered, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                                         url_schemes={"http", "https", "mailto", "tel"}, link_rel="noopener noreferrer")
        return self._done[text]
