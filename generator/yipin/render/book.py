"""A book of cases as an A4 PDF (`yipin book`): what staff hand in for an 经验交流会 or a 评选.

    book_data(...)     the book as plain data: every record value a string, Markdown made
                       into paragraphs and list items of text (Prose, then the text of its
                       sanitised HTML), real photos only (no 示意图), a QR code per case
    typeset(...)       the Typst template (themes/pages/book.typ, or the site's own at
                       <custom_dir>/pages/book.typ) compiled with that data

The template reads the data with json() from sys.inputs: a record's text reaches Typst as a
string value, which Typst prints as text, and is never parsed as markup or code, so no
escaping can be forgotten. Typst sees only the files this module puts in a private folder
(the template, the pictures, the QR codes) and only the machine's Chinese font (fonts.py),
never the system's other fonts or the network; the document date is the content's newest
date, so the same content gives the same bytes.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import typst

from yipin.content.markdown import Prose
from yipin.content.models import Image
from yipin.errors import MachineError
from yipin.render.fonts import Fonts, find_fonts
from yipin.render.media import Media
from yipin.render.pages import number_text, partial_date_text, template_folders
from yipin.render.qr import qr_svg
from yipin.site.derive import CaseView
from yipin.utils.zips import content_time

__all__ = ["TEMPLATE", "Book", "book_data", "photos", "typeset"]

TEMPLATE = "book.typ"
ILLUSTRATION = "示意图"    # how the sample marks a drawn card, not a photograph (alt and caption)
_BLOCKS = {"p", "li", "h3", "h4", "h5", "h6", "dt", "dd", "tr", "pre"}


@dataclass(frozen=True)
class Book:
    title: str          # 洲心街道社区治理品牌案例汇编
    organisation: str
    day: date           # the content's newest date: the cover's and the PDF's
    cases: Sequence[CaseView]


def photos(case: CaseView) -> list[Image]:
    """The case's gallery less the pictures it marks as drawn (示意图 in the alt text or caption)."""
    return [image for image in case.record.gallery
            if ILLUSTRATION not in image.alt and ILLUSTRATION not in (image.caption or "")]


def book_data(book: Book, prose: Prose, media: Media, absolute: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The template's data, and the files it names (name in the private folder → source).
    ``absolute``: a site-relative URL made absolute (Settings.absolute)."""
    files: dict[str, str] = {}
    cases = []
    for case in book.cases:
        address = absolute(case.url)
        files[f"qr/{case.id}.svg"] = qr_svg(address, f"{case.record.brand.name}的页面")
        pictures = []
        for n, image in enumerate(photos(case)):
            variant = media.pictures[image.src].default
            name = f"pictures/{case.id}-{n}{Path(variant.path).suffix}"
            files[name] = variant.path
            pictures.append({"path": name, "caption": image.caption or image.alt, "credit": image.credit})
        cases.append(_case(case, prose, address, pictures))
    return ({"title": book.title, "organisation": book.organisation,
             "date": f"{book.day.year}年{book.day.month}月", "cases": cases}, files)


def _case(case: CaseView, prose: Prose, address: str, pictures: list[dict[str, Any]]) -> dict[str, Any]:
    record = case.record
    kit = record.replication
    story = record.story
    contact = kit.contact if kit else None
    return {
        "id": case.id,
        "name": record.brand.name,
        "slogan": record.brand.slogan,
        "place": f"{case.region[0]}{case.region[1]} · {case.place_line}",
        "launched": partial_date_text(record.brand.launched) if record.brand.launched else None,
        "summary": record.summary,
        "themes": "、".join(record.themes),
        "figures": [{"label": m.label, "value": number_text(m.value), "unit": m.unit or "",
                     "as_of": f"截至{partial_date_text(m.as_of)}" if m.as_of else ""} for m in record.metrics],
        "background": _blocks(prose, story.background),
        "practices": [{"title": p.title, "body": _blocks(prose, p.body)} for p in story.practices],
        "outcomes": _blocks(prose, story.outcomes),
        "kit": {"fit": kit.fit, "steps": kit.steps, "resources": kit.resources, "cautions": kit.cautions} if kit
        else None,
        "contact": [contact.org, *(f"{label}：{value}" for label, value in (
            ("电话", contact.phone), ("邮箱", contact.email), ("地址", contact.address)) if value)] if contact else [],
        "partners": "、".join(p.name for p in record.partners),
        "sources": [" · ".join(filter(None, (s.title, s.publisher, partial_date_text(s.date) if s.date else None)))
                    + (f"（{s.url}）" if s.url else "") for s in record.sources],
        "url": address,
        "qr": f"qr/{case.id}.svg",
        "pictures": pictures,
    }


def _blocks(prose: Prose, text: str | None) -> list[dict[str, str]]:
    """A Markdown field as the book prints it: paragraphs, headings and list items of text."""
    if not text:
        return []
    reader = _Blocks()
    reader.feed(prose.html(text))
    reader.close()
    return reader.blocks


class _Blocks(HTMLParser):
    """Sanitised HTML (markdown.py) to blocks; inline formatting and links become their text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[dict[str, str]] = []
        self._text: list[str] = []
        self._lists: list[list[Any]] = []   # [tag, items so far] of each open list

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"ul", "ol"}:
            self._flush()
            self._lists.append([tag, 0])
        elif tag in _BLOCKS:
            self._flush()
            if tag == "li" and self._lists:
                self._lists[-1][1] += 1
        elif tag == "br":
            self._text.append(" ")
        elif tag in {"td", "th"} and self._text:
            self._text.append(" · ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS or tag in {"ul", "ol"}:
            kind = "h" if tag in {"h3", "h4", "h5", "h6", "dt"} else "li" if self._lists else "p"
            self._flush(kind)
        if tag in {"ul", "ol"} and self._lists:
            self._lists.pop()

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def _flush(self, kind: str = "p") -> None:
        text = " ".join("".join(self._text).split())
        self._text = []
        if not text:
            return
        marker = ""
        if kind == "li" and self._lists:
            tag, count = self._lists[-1]
            marker = f"{count}." if tag == "ol" else "•"
        self.blocks.append({"kind": kind, "text": text, "marker": marker,
                            "depth": str(max(len(self._lists) - 1, 0))})


def typeset(data: dict[str, Any], files: dict[str, str], day: date, overrides: Path | None,
            fonts: Fonts | None = None) -> bytes:
    """The PDF of ``data`` (book_data). ``files``: name → an SVG's text (a QR code) or a picture's path."""
    fonts = fonts or find_fonts("排不了案例汇编")
    with tempfile.TemporaryDirectory(prefix="yipin-book-") as folder:
        root = Path(folder)
        shutil.copyfile(_template(overrides), root / TEMPLATE)
        for name, source in files.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if name.endswith(".svg"):
                target.write_text(source, encoding="utf-8")
            else:
                os.symlink(Path(source).resolve(), target)   # read in place: Typst reads what the OS opens
        family = _font_folder(fonts, root / ".fonts")
        moment = content_time(day)
        try:
            return typst.compile(root / TEMPLATE, root=root, font_paths=[root / ".fonts"], ignore_system_fonts=True,
                                 sys_inputs={"book": json.dumps({**data, "font": family}, ensure_ascii=False)},
                                 timestamp=moment, format="pdf")
        except typst.TypstError as exc:
            raise MachineError(f"排版案例汇编失败（{TEMPLATE}）：{' '.join(str(exc.message).split())}") from None


def _template(overrides: Path | None) -> Path:
    """The site's own book template (<custom_dir>/pages/book.typ), else Yipin's."""
    return next(folder / TEMPLATE for folder in template_folders(overrides) if (folder / TEMPLATE).is_file())


def _font_folder(fonts: Fonts, folder: Path) -> str:
    """A folder holding only the machine's Chinese font files; the family name Typst knows
    the chosen face by."""
    folder.mkdir()
    for face in {fonts.regular.path, fonts.bold.path}:
        os.symlink(face, folder / Path(face).name)
    for info in typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                            font_paths=[str(folder)]).fonts():
        if Path(info.path or "").name == Path(fonts.regular.path).name and info.index == fonts.regular.index:
            return info.family
    raise MachineError(f"Typst 读不了中文字体 {fonts.regular.path}：请换一个中文字体文件（.ttc、.otf 或 .ttf）")

