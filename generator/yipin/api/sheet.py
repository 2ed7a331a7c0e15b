"""api/v1/cases.xlsx: the published cases as a spreadsheet, for the figures a district asks
for. Sheet 案例 has one row per case (a portal's members' cases too, with their site's
name), the header frozen and filtered; sheet 地区 counts cases and communities by street.

Written with XlsxWriter: it stamps every zip member with 1980-01-01 and takes the document
date from one property (the site's newest content date, never the clock), so the same
content gives the same bytes with nothing rewritten afterwards (openpyxl stamps the save
time into both). Every record value is written as a string cell; one that a spreadsheet
would read as a formula when retyped (= + - @) also carries Excel's quote prefix.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import xlsxwriter

from yipin.site.derive import CaseView, Listed, Site, count_totals
from yipin.utils.zips import content_time

__all__ = ["SHEET", "cases_sheet"]

SHEET = "api/v1/cases.xlsx"
COLUMNS = (  # header, width in characters
    ("编号", 24), ("品牌", 28), ("社区", 16), ("省", 10), ("市", 10), ("区县", 10), ("街道", 12),
    ("主题", 24), ("启动时间", 10), ("更新时间", 12), ("网址", 48),
)
SITE_COLUMN = ("网站", 24)               # a portal's sheet: whose case it is
FIGURE_COLUMNS = (("数字{}名称", 16), ("数字{}数值", 12), ("数字{}单位", 8))
REGION_COLUMNS = (("省", 10), ("市", 10), ("区县", 10), ("街道", 14), ("案例数", 8), ("社区数", 8))
_FORMULA_START = ("=", "+", "-", "@")


def cases_sheet(site: Site) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    moment = content_time(site.updated)
    book.set_properties({"title": f"{site.settings.site_name} 案例表", "author": site.settings.organisation,
                         "created": moment})
    styles = _Styles(book)
    portal = bool(site.remote)
    figures = max((len(case.record.metrics) for case in site.cases), default=0)
    header = [*COLUMNS, *([SITE_COLUMN] if portal else []),
              *((name.format(n), width) for n in range(1, figures + 1) for name, width in FIGURE_COLUMNS)]
    rows = [*(_own_row(site, case, portal) for case in site.cases), *(_member_row(item) for item in site.remote)]
    _table(book.add_worksheet("案例"), header, rows, styles)
    _table(book.add_worksheet("地区"), REGION_COLUMNS, _region_rows((*site.cases, *site.remote)), styles)
    book.close()
    return out.getvalue()


class _Styles:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.header = book.add_format({"bold": True, "bg_color": "#F2F2F2", "bottom": 1})
        self.quoted = book.add_format({"quote_prefix": True})
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})


def _table(sheet: Any, header: Sequence[tuple[str, int]], rows: list[list[Any]], styles: _Styles) -> None:
    for column, (name, width) in enumerate(header):
        sheet.write_string(0, column, name, styles.header)
        sheet.set_column(column, column, width)
    for row, values in enumerate(rows, start=1):
        for column, value in enumerate(values):
            _cell(sheet, row, column, value, styles)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(header) - 1)


def _cell(sheet: Any, row: int, column: int, value: Any, styles: _Styles) -> None:
    """Text as text, never a formula, a number or a link; numbers and dates as themselves."""
    if value is None or value == "":
        return
    if isinstance(value, date):
        sheet.write_datetime(row, column, datetime(value.year, value.month, value.day), styles.date)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value)
    else:
        sheet.write_string(row, column, value, styles.quoted if value.startswith(_FORMULA_START) else None)


def _own_row(site: Site, case: CaseView, portal: bool) -> list[Any]:
    record = case.record
    row = [case.id, record.brand.name, case.community, *case.region, "、".join(record.themes),
           str(record.brand.launched) if record.brand.launched else None, case.updated,
           site.settings.absolute(case.url), *([site.settings.site_name] if portal else [])]
    return row + [value for metric in record.metrics for value in (metric.label, _number(metric.value), metric.unit)]


def _member_row(item: Listed) -> list[Any]:
    """A member's case as its case list tells it: no id, launch date or figures."""
    case = item.case
    return [None, case.brand, case.community, *case.region, "、".join(case.themes), None, case.updated, case.url,
            case.member]


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def _region_rows(cases: Sequence[CaseView | Listed]) -> list[list[Any]]:
    """A row per street (or district, for district-wide brands), counted as the site counts."""
    by_region: dict[tuple[str, str, str, str | None], list[CaseView | Listed]] = defaultdict(list)
    for case in cases:
        by_region[case.region].append(case)
    rows = []
    for region in sorted(by_region, key=lambda parts: tuple(part or "" for part in parts)):
        totals = count_totals(by_region[region])
        rows.append([*region, totals["cases"], totals["communities"]])
    return rows
