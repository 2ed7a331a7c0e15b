"""`yipin import article`: a Word file, a saved WeChat page or a text file as the makings of
a case: its source (title, publisher, date, address) for ``sources``, and its paragraphs,
each placed as a comment under the field it most likely belongs to, for staff to turn into
the record. Placing is by a few keywords (docs/guide/import.md lists them); nothing is
guessed into a field itself.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from yipin.content.annotated_yaml import INDENT
from yipin.content.fields import field_at, fields_of
from yipin.content.models import FIRST_YEAR, LAST_YEAR, Case, Source
from yipin.content.reader import FieldPath
from yipin.errors import ContentError, ContentErrors, UsageError, display_path
from yipin.imports.html import read_page
from yipin.imports.packages import PackageRefused, check_package
from yipin.imports.sheets import decode_text, read_file
from yipin.render.starter import TODO

__all__ = ["Article", "read_article", "source_record", "place", "with_paragraphs", "ARTICLE_SUFFIXES", "MARK"]

ARTICLE_SUFFIXES = {".docx", ".html", ".htm", ".txt"}
MAX_ARTICLE_BYTES = 100_000_000      # a Word file with its photos
MARK = "〔原文〕"                    # starts every comment that holds a paragraph of the article
CHINA = ZoneInfo("Asia/Shanghai")    # WeChat's publish time is a Unix time; its date is Beijing's


@dataclass
class Article:
    title: str = ""
    publisher: str = ""
    author: str = ""
    date: str = ""                    # YYYY-MM-DD
    url: str = ""
    paragraphs: list[str] = field(default_factory=list)


def read_article(path: Path) -> Article:
    suffix = path.suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        raise UsageError(f"{display_path(path)} 不是能导入的文章：请存为 Word 的 .docx、网页 .html 或纯文本 .txt 再导入"
                         "（旧的 .doc 请用 Word 或 WPS 另存为 .docx）")
    raw = read_file(path, "文章文件", MAX_ARTICLE_BYTES)
    if suffix == ".docx":
        article = _docx(raw, display_path(path))
    else:
        text = decode_text(raw)
        if text is None:
            raise ContentErrors([ContentError(display_path(path), 1, 1, "", "encoding",
                                              "文件既不是 UTF-8 也不是 GBK 编码：请用记事本另存为 UTF-8 再导入")])
        article = _txt(text) if suffix == ".txt" else _html(text)
    return _with_meta_lines(article)


def _docx(raw: bytes, shown: str) -> Article:
    try:
        check_package(raw, "Word 文件")
    except PackageRefused as refused:
        raise ContentErrors([ContentError(shown, 1, 1, "", "file-too-costly", str(refused))]) from None
    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise ContentErrors([ContentError(shown, 1, 1, "", "article-unreadable",
                                          f"读不出这个 Word 文件（{exc}）：文件可能已损坏；"
                                          "请用 Word 或 WPS 打开后另存为 .docx 再导入")]) from None
    paragraphs = [(p.style.name if p.style is not None else "", _line(p.text)) for p in document.paragraphs]
    paragraphs = [(style, text) for style, text in paragraphs if text]
    titled = next((i for i, (style, _) in enumerate(paragraphs) if style in {"Title", "Heading 1", "标题", "标题 1"}), None)
    title = paragraphs[titled][1] if titled is not None else _line(document.core_properties.title or "")
    if not title and paragraphs:
        titled, title = 0, paragraphs[0][1]
    return Article(title=title, paragraphs=[text for i, (_, text) in enumerate(paragraphs) if i != titled])


def _txt(text: str) -> Article:
    lines = [line for line in (_line(raw) for raw in text.splitlines()) if line]
    return Article(title=lines[0] if lines else "", paragraphs=lines[1:])


def _html(text: str) -> Article:
    page = read_page(text)
    title = _line(page.meta.get("og:title") or page.text_of("activity-name") or page.title)
    paragraphs = [p for p in (_line(p) for p in page.paragraphs()) if p and p != title]
    return Article(
        title=title,
        publisher=_line(page.text_of("js_name") or page.meta.get("og:site_name") or _script(page.scripts, "nickname")),
        author=_line(page.meta.get("author", "")),
        date=_date_in(page.text_of("publish_time")) or _unix_date(page.scripts) or _date_in(_script(page.scripts, "publish_time")),
        url=page.meta.get("og:url", "") if re.match(r"https?://\S+$", page.meta.get("og:url", "")) else "",
        paragraphs=paragraphs,
    )


def _script(scripts: str, name: str) -> str:
    """``var name = "value"`` (or ``name = htmlDecode("value")``) in the page's scripts."""
    found = re.search(rf'\b{name}\s*=\s*(?:htmlDecode\()?\s*["\']([^"\']+)["\']', scripts)
    return found[1] if found else ""


def _unix_date(scripts: str) -> str:
    """``var ct``, a Unix time, as a day within the years records hold (else none: a page's
    script is no authority on a date in 5138)."""
    found = re.search(r'\bvar\s+ct\s*=\s*["\']?(\d{9,11})\b', scripts)
    day = datetime.fromtimestamp(int(found[1]), CHINA).date() if found else None
    return day.isoformat() if day and FIRST_YEAR <= day.year <= LAST_YEAR else ""


_DATE = re.compile(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")
_PUBLISHER = re.compile(r"(?:来源|来自|出处|发布单位|信息来源|稿件来源)\s*[:：|｜丨]\s*([^\s|｜丨]+)")
_AUTHOR = re.compile(r"(?:作者|撰稿|撰文|记者|通讯员|文字|^文)\s*[:：/|｜丨]\s*([^\s|｜丨:：]+)")
_CREDITS = re.compile(r"^(?:编辑|责编|责任编辑|审核|审校|校对|监制|统筹|排版|出品|主编|初审|复审|终审|美编|图片|摄影)\s*[:：|｜丨]")
_NOISE = ("点击蓝字", "关注我们", "阅读原文", "长按识别", "长按二维码", "扫码关注", "点个在看", "分享给", "点赞")
META_LINE = 60      # a line longer than this is a paragraph, not a byline
EDGE = 6            # bylines are among the first and the last this many paragraphs


def _date_in(text: str) -> str:
    found = _DATE.search(text or "")
    if not found:
        return ""
    try:
        return date(int(found[1]), int(found[2]), int(found[3])).isoformat()
    except ValueError:
        return ""


def _with_meta_lines(article: Article) -> Article:
    """Bylines (来源：…, 作者：…, a date) fill what the file did not say and leave the
    paragraphs; credits (编辑：…) and WeChat's calls to follow leave them too."""
    kept = []
    count = len(article.paragraphs)
    for i, text in enumerate(article.paragraphs):
        short = len(text) <= META_LINE
        if short and (_CREDITS.match(text) or any(noise in text for noise in _NOISE)):
            continue
        if short and (i < EDGE or i >= count - EDGE) and _byline(article, text):
            continue
        kept.append(text)
    article.paragraphs = kept
    return article


def _byline(article: Article, text: str) -> bool:
    """Fill ``article`` from a byline; whether ``text`` was one."""
    publisher, author, day = _PUBLISHER.search(text), _AUTHOR.search(text), _date_in(text)
    if publisher and not article.publisher:
        article.publisher = publisher[1]
    if author and not article.author:
        article.author = author[1]
    if day and not article.date:
        article.date = day
    return bool(publisher or author or (day and len(_DATE.sub("", text).strip(" :：日发布时间期")) <= 12))


def _line(text: str) -> str:
    """One line of printable text: YAML comments and fields cannot hold line or paragraph
    separators, control characters or zero-width marks."""
    kept = []
    for ch in unicodedata.normalize("NFC", text or ""):
        kind = unicodedata.category(ch)
        kept.append(" " if kind in {"Cc", "Zl", "Zp", "Zs"} else "" if kind in {"Cf", "Cs", "Co", "Cn"} else ch)
    return re.sub(r" +", " ", "".join(kept)).strip()


def source_record(article: Article) -> dict[str, Any]:
    """The article as an item of ``sources``: what it says, each within its field's limit;
    a placeholder where it says nothing of a required field."""
    limits = {spec.key: spec.schema.get("maxLength") for spec in fields_of(Source)}
    record: dict[str, Any] = {
        "title": (article.title or f"{TODO}文章标题")[: limits["title"]],
        "publisher": (article.publisher or f"{TODO}发布单位")[: limits["publisher"]],
    }
    if article.date:
        record["date"] = article.date
    record["url"] = article.url or None
    return record


# Where a paragraph most likely belongs, by the words it holds: the field with most of its
# words wins (the earlier one on a tie); a paragraph with none is background.
PLACES: tuple[tuple[FieldPath, tuple[str, ...]], ...] = (
    (("brand",), ("口号", "品牌", "理念", "标识")),
    (("story", "practices"), ("做法", "机制", "模式", "制度", "举措", "措施", "搭建", "建立", "推行", "组建", "探索")),
    (("story", "outcomes"), ("成效", "效果", "累计", "截至", "共计", "惠及", "受益", "满意", "好评", "荣获", "获评")),
    (("activities",), ("活动", "每周", "每月", "每年", "定期", "举办")),
)
BACKGROUND: FieldPath = ("story", "background")
METRICS: FieldPath = ("metrics",)
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:万|千|余|多)?\s*(?:人次|人|户|次|场|个|项|件|名|支|元|平方米|小时)")


def place(paragraphs: list[str]) -> dict[FieldPath, list[str]]:
    """Each paragraph under its likely field; an outcome with figures under metrics."""
    placed: dict[FieldPath, list[str]] = {}
    for text in paragraphs:
        scores = [sum(text.count(word) for word in words) for _, words in PLACES]
        best = max(range(len(PLACES)), key=lambda i: (scores[i], -i))
        where = PLACES[best][0] if scores[best] else BACKGROUND
        if where == ("story", "outcomes") and _FIGURE.search(text):
            where = METRICS
        placed.setdefault(where, []).append(text)
    return placed


def with_paragraphs(text: str, placed: Mapping[FieldPath, list[str]]) -> str:
    """``text`` (a record as annotated_yaml writes it) with each field's paragraphs as comment
    lines right under the comment that describes the field."""
    lines = text.split("\n")
    for loc, paragraphs in placed.items():
        spec = field_at(Case, loc)
        assert spec is not None, loc
        pad = INDENT * (len(loc) - 1)
        described = f"{pad}# {spec.title}：{spec.description}"
        at = lines.index(described) + 1
        lines[at:at] = [f"{pad}# {MARK}{paragraph}" for paragraph in paragraphs]
    return "\n".join(lines)
