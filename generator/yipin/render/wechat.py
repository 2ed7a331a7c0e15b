"""A case as an article for the WeChat Official Account (公众号) editor (`yipin wechat`).

The editor keeps inline styles and strips classes, style sheets and scripts, so the article
is one HTML file whose every element carries its look in a style attribute (STYLES, the
one place it is written), the pictures as numbered files beside it (01.jpg, 02.png … in
the order they appear: the editor uploads them one by one), and a plain-text version.

Record text is escaped; Markdown fields are rendered and sanitised by Prose as on the
site, then go through the sanitiser once more with no class allowed and each tag's style
set (nh3's set_tag_attribute_values), so nothing but the allowed tags and styles remains.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from html.parser import HTMLParser
from typing import NamedTuple

import nh3

from yipin.config import Settings
from yipin.content.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, Prose
from yipin.content.models import Image
from yipin.images import Picture
from yipin.site.derive import CaseView

__all__ = ["Article", "STYLES", "article_sources", "wechat_article"]

ACCENT, INK, MUTED, LINE = "#b3261e", "#222222", "#666666", "#e5e5e5"
BODY = "font-size:16px;line-height:1.8;color:#222222;"
# Each tag's look: the article's own elements and whatever Markdown makes.
STYLES: dict[str, str] = {
    "section": f"max-width:677px;margin:0 auto;padding:16px;{BODY}",
    "h1": f"font-size:24px;line-height:1.4;font-weight:bold;color:{INK};margin:0 0 8px;",
    "h2": f"font-size:19px;line-height:1.5;font-weight:bold;color:{ACCENT};margin:32px 0 12px;"
          f"padding-left:10px;border-left:4px solid {ACCENT};",
    "h3": f"font-size:17px;line-height:1.5;font-weight:bold;color:{INK};margin:20px 0 8px;",
    "h4": "font-size:16px;font-weight:bold;margin:16px 0 8px;",
    "h5": "font-size:16px;font-weight:bold;margin:16px 0 8px;",
    "h6": "font-size:16px;font-weight:bold;margin:16px 0 8px;",
    "p": f"margin:0 0 16px;{BODY}text-align:justify;",
    "ul": "margin:0 0 16px;padding-left:24px;", "ol": "margin:0 0 16px;padding-left:24px;",
    "li": f"margin:0 0 6px;{BODY}", "dl": "margin:0 0 16px;", "dt": "font-weight:bold;", "dd": "margin:0 0 8px 24px;",
    "blockquote": f"margin:0 0 16px;padding:8px 16px;border-left:4px solid {LINE};color:{MUTED};",
    "div": "margin:0 0 16px;padding:12px 16px;background:#f7f7f7;border-radius:6px;",
    "a": f"color:{ACCENT};text-decoration:underline;",
    "strong": f"font-weight:bold;color:{INK};", "b": "font-weight:bold;", "em": "font-style:italic;",
    "i": "font-style:italic;", "u": "text-decoration:underline;", "s": "text-decoration:line-through;",
    "del": "text-decoration:line-through;", "ins": "text-decoration:underline;", "mark": "background:#fff3b0;",
    "sub": "font-size:12px;", "sup": "font-size:12px;", "small": "font-size:13px;", "abbr": "text-decoration:none;",
    "code": "font-family:Menlo,Consolas,monospace;font-size:14px;background:#f3f3f3;padding:0 4px;",
    "kbd": "font-family:Menlo,Consolas,monospace;font-size:14px;",
    "pre": "margin:0 0 16px;padding:12px;background:#f3f3f3;overflow-x:auto;white-space:pre-wrap;font-size:14px;",
    "hr": f"border:0;border-top:1px solid {LINE};margin:24px 0;",
    "br": "",
    "table": "width:100%;border-collapse:collapse;margin:0 0 16px;font-size:15px;",
    "caption": f"color:{MUTED};font-size:14px;padding:4px;", "thead": "", "tbody": "", "tfoot": "", "tr": "",
    "th": f"border:1px solid {LINE};padding:6px 8px;background:#f7f7f7;font-weight:bold;",
    "td": f"border:1px solid {LINE};padding:6px 8px;",
    "figure": "margin:0 0 20px;",
    "img": "display:block;max-width:100%;height:auto;margin:0 auto;",
    "figcaption": f"font-size:14px;line-height:1.6;color:{MUTED};text-align:center;margin:8px 0 0;",
}
# The article's own elements that differ from their tag's look.
ROLES = {
    "slogan": f"margin:0 0 8px;font-size:18px;line-height:1.6;color:{ACCENT};",
    "place": f"margin:0 0 20px;font-size:14px;line-height:1.6;color:{MUTED};",
    "summary": f"margin:0 0 24px;padding:12px 16px;background:#fbf1f0;border-radius:6px;{BODY}",
    "metric": f"margin:0 0 16px;font-size:30px;line-height:1.3;font-weight:bold;color:{ACCENT};",
    "body": "margin:0;background:#ffffff;",
    "footer": f"margin:32px 0 0;padding-top:12px;border-top:1px solid {LINE};font-size:14px;color:{MUTED};",
}


class Article(NamedTuple):
    html: str
    text: str
    pictures: tuple[tuple[str, str], ...]   # (file name beside the article, the variant file to copy)


def article_sources(case: CaseView) -> list[str]:
    """The content-relative pictures an article of ``case`` shows."""
    logo = [case.record.brand.logo] if case.record.brand.logo and not case.record.gallery else []
    return [*logo, *(image.src for image in case.record.gallery)]


def wechat_article(case: CaseView, pictures: Mapping[str, Picture], prose: Prose, settings: Settings) -> Article:
    """``pictures``: the variants of article_sources(case)."""
    writer, record = _Writer(pictures, prose), case.record
    writer.own("h1", record.brand.name)
    if record.brand.slogan:
        writer.own("p", record.brand.slogan, role="slogan")
    writer.own("p", _place(case), role="place")
    writer.own("p", record.summary, role="summary")
    if record.gallery:
        writer.figure(record.gallery[0])
    elif record.brand.logo:
        writer.figure(Image(src=record.brand.logo, alt=f"{record.brand.name} 标志"))
    _story(writer, case)
    _kit(writer, case)
    if record.partners:
        writer.heading("共建单位")
        writer.items((f"{p.name}（{p.role}）" if p.role else p.name for p in record.partners), ordered=False)
    if record.sources:
        writer.heading("来源")
        writer.items((" · ".join(filter(None, (s.title, s.publisher, s.url))) for s in record.sources), ordered=False)
    writer.own("p", f"本文来自{settings.site_name}，原文：{settings.absolute(case.url)}", role="footer")
    return writer.article(f"{record.brand.name} · {record.community.name}")


def _place(case: CaseView) -> str:
    province, city, district, street = case.region
    return f"{case.record.community.name} · {province}{city}{district}{street or ''}"


def _story(writer: _Writer, case: CaseView) -> None:
    story, record = case.record.story, case.record
    if story.background:
        writer.heading("背景与起因")
        writer.prose(story.background)
    writer.heading("做法与经过")
    for number, practice in enumerate(story.practices, 1):
        writer.own("h3", f"{number}. {practice.title}")
        writer.prose(practice.body)
    if story.outcomes:
        writer.heading("成效与反响")
        writer.prose(story.outcomes)
    if record.metrics:
        writer.heading("关键数字")
        for metric in record.metrics:
            value = f"{metric.value:,.0f}" if metric.value.is_integer() else f"{metric.value:,}"
            writer.own("p", f"{value}{metric.unit or ''}", role="metric", after=metric.label)
    if len(record.gallery) > 1:
        writer.heading("图集")
        for image in record.gallery[1:]:
            writer.figure(image)


def _kit(writer: _Writer, case: CaseView) -> None:
    kit = case.record.replication
    if kit is None:
        return
    writer.heading("可复制要点")
    for title, items, ordered in (("适用条件", kit.fit, False), ("实施步骤", kit.steps, True),
                                  ("所需资源", kit.resources, False), ("注意事项", kit.cautions, False)):
        if items:
            writer.own("h3", title)
            writer.items(items, ordered=ordered)
    contact = kit.contact
    writer.own("h3", "联系方式")
    writer.own("p", " · ".join(filter(None, (contact.org, contact.phone and f"电话 {contact.phone}", contact.email,
                                             contact.address))))


class _Writer:
    """The article as HTML and as plain text at once, and its pictures in order."""

    def __init__(self, pictures: Mapping[str, Picture], prose: Prose) -> None:
        self.pictures, self.prose_html = pictures, prose
        self.html: list[str] = []
        self.text: list[str] = []
        self.files: list[tuple[str, str]] = []

    def own(self, tag: str, text: str, role: str | None = None, after: str | None = None) -> None:
        """A block of plain text; ``after``: a line of text below it in the same paragraph."""
        below = f'<br><span style="font-size:14px;color:{MUTED};">{escape(after)}</span>' if after else ""
        self.html.append(f"<{tag}{_style(tag, role)}>{escape(text)}{below}</{tag}>")
        self.text.append(f"{text}  {after}" if after else text)

    def heading(self, text: str) -> None:
        self.own("h2", text)

    def items(self, items: Iterable[str], *, ordered: bool) -> None:
        tag = "ol" if ordered else "ul"
        items = list(items)
        self.html.append(f"<{tag}{_style(tag)}>" + "".join(f"<li{_style('li')}>{escape(i)}</li>" for i in items)
                         + f"</{tag}>")
        self.text.append("\n".join(f"{n}. {i}" if ordered else f"· {i}" for n, i in enumerate(items, 1)))

    def prose(self, markdown: str) -> None:
        """A Markdown field: the site's sanitised HTML, restyled inline."""
        html = _inline(self.prose_html.html(markdown))
        self.html.append(html)
        self.text.append(_plain_text(html))

    def figure(self, image: Image) -> None:
        variant = self.pictures[image.src].large
        name = f"{len(self.files) + 1:02d}.{variant.format}"
        self.files.append((name, variant.path))
        caption = image.caption or ""
        if image.credit:
            caption += f"{'　' if caption else ''}图片来源：{image.credit}"
        self.html.append(
            f'<figure{_style("figure")}><img{_style("img")} src="{name}" width="{variant.width}" '
            f'height="{variant.height}" alt="{escape(image.alt)}">'
            + (f"<figcaption{_style('figcaption')}>{escape(caption)}</figcaption>" if caption else "")
            + "</figure>")
        self.text.append(f"［图 {name}：{image.alt}］" + (f"\n{caption}" if caption else ""))

    def article(self, title: str) -> Article:
        html = ('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
                '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f"<title>{escape(title)}</title>\n</head>\n<body{_style('body', 'body')}>\n<section{_style('section')}>\n"
                + "\n".join(self.html) + "\n</section>\n</body>\n</html>\n")
        return Article(html, "\n\n".join(self.text) + "\n", tuple(self.files))


def _style(tag: str, role: str | None = None) -> str:
    style = ROLES[role] if role else STYLES.get(tag, "")
    return f' style="{style}"' if style else ""


def _inline(html: str) -> str:
    """Sanitised prose with no class left and each tag's style set."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer",
                     set_tag_attribute_values={tag: {"style": STYLES[tag]} for tag in ALLOWED_TAGS if STYLES.get(tag)})


BLOCKS = {"p", "div", "blockquote", "pre", "h3", "h4", "h5", "h6", "ul", "ol", "li", "tr", "table", "dl", "dt", "dd",
          "hr", "caption"}


def _plain_text(html: str) -> str:
    reader = _TextReader()
    reader.feed(html)
    reader.close()
    lines = (" ".join(line.split()) for line in "".join(reader.parts).split("\n"))
    return "\n".join(line for line in lines if line)


class _TextReader(HTMLParser):
    """Sanitised HTML as text: a line per block, list items marked, cells apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[list[int]] = []   # per open list: [number of the next item], 0 for a bullet list

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS or tag == "br":
            self.parts.append("\n")
        if tag in {"ul", "ol"}:
            self.lists.append([1 if tag == "ol" else 0])
        elif tag == "li" and self.lists:
            number = self.lists[-1]
            self.parts.append(f"{number[0]}. " if number[0] else "· ")
            number[0] += bool(number[0])
        elif tag in {"td", "th"}:
            self.parts.append("  ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
