"""A case's replication kit as a Word file, <case page>/kit.docx: the 实施方案 another
street opens in Word or WPS and rewrites as its own.

    title (Title), what it is, where it fits, the steps as a numbered list, what it takes,
    what to avoid, whom to ask, the sources and the page's address; each part under a
    Heading 1, so both programs list them in their navigation pane

Record values are runs of plain text (python-docx escapes them): no value becomes markup.
The same content gives the same bytes: the core properties are set from the case (its
update date, the site's organisation), and the zip is rewritten with fixed times (zips.py).
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.shared import Pt

from yipin.site.derive import CaseView
from yipin.utils.zips import content_time, fixed_zip

__all__ = ["KIT_DOCX", "kit_docx"]

KIT_DOCX = "kit.docx"          # beside the case page's index.html
NORMAL, BULLET, NUMBER = "Normal", "List Bullet", "List Number"   # styles of python-docx's template
BODY_FONT, HEADING_FONT = "宋体", "黑体"   # the East Asian faces Word and WPS have everywhere in China


def kit_docx(case: CaseView, address: str, organisation: str = "") -> bytes:
    """The kit of ``case`` (published cases always have one); ``address``: its page's."""
    record = case.record
    kit = record.replication
    assert kit is not None, "published cases have a replication kit"
    document = Document()
    _set_fonts(document)
    _styled(document, f"{record.brand.name}实施方案", "Title")
    document.add_paragraph(f"参考案例：{record.brand.name}（{case.place_line}）")
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
        _items(document, heading, items, style)
    _properties(document, case, organisation)
    out = io.BytesIO()
    document.save(out)
    return fixed_zip(out.getvalue())


def _items(document: DocumentObject, heading: str, items: list[str], style: str) -> None:
    """A Heading 1 and a paragraph per item, nothing when there are none. The style is set
    by its id on the paragraph: python-docx's lookup by name scans every style each time
    (two thirds of the file's time)."""
    if not items:
        return
    _styled(document, heading, "Heading 1")
    for item in items:
        _styled(document, item, style)


def _styled(document: DocumentObject, text: str, style: str) -> None:
    paragraph = document.add_paragraph(text)
    if style != NORMAL:
        paragraph._p.get_or_add_pPr().style = document.styles[style].style_id


def _set_fonts(document: DocumentObject) -> None:
    """Chinese faces for the body and the headings (the template names only Latin ones)."""
    for name, face in (("Normal", BODY_FONT), ("Title", HEADING_FONT), ("Heading 1", HEADING_FONT)):
        style = document.styles[name]
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face)
    document.styles["Normal"].font.size = Pt(11)


def _properties(document: DocumentObject, case: CaseView, organisation: str) -> None:
    """What File → Properties shows, from the case, never from the clock."""
    moment = content_time(case.updated)
    properties = document.core_properties
    properties.title = f"{case.record.brand.name}实施方案"
    properties.author = properties.last_modified_by = organisation or "一品"
    properties.created = properties.modified = moment
    properties.last_printed = moment
    properties.revision = 1
    properties.comments = ""
