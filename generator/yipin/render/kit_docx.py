"""A case's replication kit as a Word file, <case page>/kit.docx: the 实施方案 another
street opens in Word or WPS and rewrites as its own.

    title (Title), what it is, where it fits, the steps as a numbered list, what it takes,
    what to avoid, whom to ask, the sources and the page's address; each part under a
    Heading 1, so both programs list them in their navigation pane

python-docx makes the package once per process (its template's styles and numbering, the
Chinese faces, A4); each kit is then that package with its own body and core properties.
Opening and saving a python-docx document took 40 ms a case, 200 s of a 5,000-case build
from nothing; a kit now takes 9 ms, most of it compressing the package. Every record value is escaped XML
text inside a run: no value becomes markup. The same content gives the same bytes: the
properties come from the case (its update date, the site's organisation), never the clock,
and the zip members carry one fixed time (zips.py).
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from yipin.site.derive import CaseView
from yipin.utils.zips import content_time, zip_parts

__all__ = ["KIT_DOCX", "kit_docx"]

KIT_DOCX = "kit.docx"          # beside the case page's index.html
TITLE, HEADING, NORMAL, BULLET, NUMBER = "Title", "Heading 1", "Normal", "List Bullet", "List Number"
BODY_FONT, HEADING_FONT = "宋体", "黑体"   # the East Asian faces Word and WPS have everywhere in China
BODY, CORE = "word/document.xml", "docProps/core.xml"
# Characters XML 1.0 cannot hold (YAML refuses most already).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def kit_docx(case: CaseView, address: str, organisation: str = "") -> bytes:
    """The kit of ``case`` (published cases always have one); ``address``: its page's."""
    record = case.record
    kit = record.replication
    assert kit is not None, "published cases have a replication kit"
    parts, styles, before, after = _package()
    title = f"{record.brand.name}实施方案"
    paragraphs = [(TITLE, title), (NORMAL, f"参考案例：{record.brand.name}（{case.place_line}）")]
    contact = kit.contact
    for heading, items, style in (
        ("是什么", [record.summary], NORMAL),
        ("适用条件", kit.fit, BULLET),
        ("实施步骤", kit.steps, NUMBER),
        ("所需资源", kit.resources, BULLET),
        ("注意事项", kit.cautions, BULLET),
        ("联系方式", [contact.org, *(f"{label}：{value}" for label, value in (
            ("电话", contact.phone), ("邮箱", contact.email), ("地址", contact.address)) if value)], NORMAL),
        ("来源", [" · ".join(filter(None, (s.title, s.publisher, str(s.date) if s.date else None, s.url)))
                for s in record.sources], BULLET),
        ("案例页面", [address], NORMAL),
    ):
        if items:
            paragraphs += [(HEADING, heading), *((style, item) for item in items)]
    body = "".join(_paragraph(styles[style], text) for style, text in paragraphs)
    own = {BODY: (before + body + after).encode(), CORE: _core(title, organisation or "一品", case)}
    return zip_parts((name, own.get(name, data)) for name, data in parts)


def _paragraph(style: str, text: str) -> str:
    return (f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
            f'<w:r><w:t xml:space="preserve">{_text(text)}</w:t></w:r></w:p>')


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _core(title: str, author: str, case: CaseView) -> bytes:
    """What File → Properties shows."""
    moment = content_time(case.updated).strftime("%Y-%m-%dT%H:%M:%SZ")
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{_text(title)}</dc:title><dc:creator>{_text(author)}</dc:creator>"
            f"<cp:lastModifiedBy>{_text(author)}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{moment}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{moment}</dcterms:modified>'
            "</cp:coreProperties>").encode()


@cache
def _package() -> tuple[tuple[tuple[str, bytes], ...], dict[str, str], str, str]:
    """python-docx's empty document with Chinese faces on A4: its parts in order, the style
    ids by name, and its body's XML before and after where the paragraphs go."""
    document = Document()
    for name, face in ((NORMAL, BODY_FONT), (TITLE, HEADING_FONT), (HEADING, HEADING_FONT)):
        document.styles[name].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face)
    document.styles[NORMAL].font.size = Pt(11)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    styles = {name: document.styles[name].style_id for name in (TITLE, HEADING, NORMAL, BULLET, NUMBER)}
    out = io.BytesIO()
    document.save(out)
    with zipfile.ZipFile(out) as archive:
        parts = tuple((info.filename, archive.read(info)) for info in archive.infolist())
    xml = dict(parts)[BODY].decode()
    split = xml.index("<w:sectPr")
    return parts, styles, xml[:split], xml[split:]
