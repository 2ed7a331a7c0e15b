"""api/v1/cases.xlsx (api/sheet.py), read back with openpyxl: a row per published case with
the Chinese headers and the key figures, the header frozen and filtered, widths set, a
sheet by region; values as text, never formulas; a portal's members' cases with their
site's name; the same bytes twice."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from yipin.api.sheet import SHEET, cases_sheet
from yipin.build.pipeline import build_site, check_site
from yipin.config import Settings
from yipin.site.derive import derive_site
from yipin.site.remote import RemoteCase

from .conftest import FIXTURE_CONTENT, REPO

HEADERS = ["编号", "品牌", "社区", "省", "市", "区县", "街道", "主题", "启动时间", "更新时间", "网址"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    settings = Settings(content=REPO / "content", site_url="https://yipin.example.org/",
                        build_cache=tmp_path_factory.mktemp("build"), image_cache=tmp_path_factory.mktemp("images"))
    return derive_site(check_site(settings), settings)


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_a_row_per_sample_case_with_its_figures(sample):
    sheet = workbook(cases_sheet(sample))["案例"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][:11]) == HEADERS
    assert rows[0][11:14] == ("数字1名称", "数字1数值", "数字1单位")
    by_id = {row[0]: row for row in rows[1:]}
    assert sorted(by_id) == sorted(case.id for case in sample.cases)
    for case in sample.cases:
        row, record = by_id[case.id], case.record
        assert row[1:7] == (record.brand.name, record.community.name, *case.region)
        assert row[7] == "、".join(record.themes)
        assert row[9] == datetime(case.updated.year, case.updated.month, case.updated.day)
        assert row[10] == f"https://yipin.example.org/cases/{case.id}/"
        for n, metric in enumerate(record.metrics):
            assert row[11 + 3 * n: 14 + 3 * n] == (metric.label, metric.value, metric.unit)


def test_frozen_header_filter_and_widths(sample):
    book = workbook(cases_sheet(sample))
    assert book.sheetnames == ["案例", "地区"]
    for sheet in book:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        assert sheet.column_dimensions["B"].width > 10


def test_the_region_sheet_counts_as_the_site_does(sample):
    rows = list(workbook(cases_sheet(sample))["地区"].iter_rows(values_only=True))
    assert rows[0] == ("省", "市", "区县", "街道", "案例数", "社区数")
    assert sum(row[4] for row in rows[1:]) == len(sample.cases)
    zhouxin = next(row for row in rows if row[3] == "洲心街道")
    assert zhouxin[4] == len([c for c in sample.cases if c.region[3] == "洲心街道"])


def test_same_bytes_twice_with_fixed_times(sample):
    first = cases_sheet(sample)
    assert first == cases_sheet(sample)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert workbook(first).properties.created.date() == sample.updated


@pytest.mark.parametrize("hostile", ['=HYPERLINK("http://evil","点")', "+1+2", "-3", "@SUM(A1)", "<b>粗</b>"])
def test_values_are_text_never_formulas(tmp_path, hostile):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    record = content / "cases" / "base.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("name: 样例品牌", f"name: '{hostile}'"),
                      encoding="utf-8")
    settings = Settings(content=content)
    sheet = workbook(cases_sheet(derive_site(check_site(settings), settings)))["案例"]
    cell = sheet["B2"]
    assert cell.value == hostile and cell.data_type == "s"
    assert cell.quotePrefix == hostile.startswith(("=", "+", "-", "@"))


def test_a_portal_sheet_lists_its_members_cases_with_their_site(sample):
    member = RemoteCase(member="洲心街道品牌库", url="https://zhouxin.example.org/cases/x/", brand="成员品牌",
                        slogan=None, community="成员社区", kind="urban", region=("广东省", "清远市", "清城区", "洲心街道"),
                        summary="成员网站的案例。", themes=("党建",), updated=date(2026, 1, 2), thumbnail=None)
    settings = sample.settings
    portal = derive_site(check_site(settings), settings, [member])
    rows = list(workbook(cases_sheet(portal))["案例"].iter_rows(values_only=True))
    assert rows[0][11] == "网站"
    assert rows[1][11] == settings.site_name
    assert rows[-1][:12] == (None, "成员品牌", "成员社区", "广东省", "清远市", "清城区", "洲心街道", "党建", None,
                             datetime(2026, 1, 2), "https://zhouxin.example.org/cases/x/", "洲心街道品牌库")


def test_the_build_publishes_the_sheet(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    rows = list(workbook(build_site(Settings(content=content)).files[SHEET])["案例"].iter_rows(values_only=True))
    assert rows[1][:2] == ("base", "样例品牌")
