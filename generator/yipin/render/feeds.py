"""The Atom feed of new and updated cases (RFC 4287), newest first."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree as ET

from yipin.site.derive import Site

__all__ = ["atom_feed", "FEED_PATH"]

FEED_PATH = "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 50


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"


def atom_feed(site: Site) -> str:
    settings = site.settings
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-CN"})
    _text(feed, "title", settings.site_name)
    _text(feed, "subtitle", "社区治理品牌案例的新增与更新")
    _text(feed, "id", settings.absolute(FEED_PATH))
    _text(feed, "updated", _stamp(site.updated))
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": settings.absolute(FEED_PATH)})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": settings.absolute("")})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", settings.organisation or settings.site_name)
    newest = sorted(site.cases, key=lambda c: (c.updated, c.id), reverse=True)[:MAX_ENTRIES]
    for case in newest:
        record = case.record
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "title", f"{record.brand.name}（{record.community.name}）")
        _text(entry, "id", settings.absolute(case.url))
        _text(entry, "updated", _stamp(case.updated))
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": settings.absolute(case.url)})
        _text(entry, "summary", record.summary)
        for term in record.themes:
            ET.SubElement(entry, f"{{{ATOM}}}category", {"term": term})
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = text
