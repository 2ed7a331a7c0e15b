"""`yipin import`: activity sheets into a case, articles into draft cases. Every sheet and
document is written here, in the formats staff send: WPS sheets with a merged title, Excel
date cells, GBK CSV, .ods, .xls, Word, a saved WeChat page and plain text."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, time
from pathlib import Path

import docx
import openpyxl
import pytest
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from yipin.commands.main import main
from yipin.content.reader import read_document
from yipin.imports.dates import CellProblem, When, read_when

from .conftest import make_content, site_config

HEADERS = ["序号", "活动名称", "日期", "时间", "地点", "备注"]
CASE = Path("content/cases/base.yaml")
BASE_ACTIVITIES = 1   # the fixture case has one activity


# --- writing sheets as staff's programs do ---------------------------------------------

def wps_xlsx(path: Path, rows: list[list[object]], *, title: str = "2026年3月活动安排", sheet: str = "三月",
             headers: list[str] = HEADERS) -> Path:
    """A WPS-style plan: the title merged across row 1, the headers in row 2."""
    book = openpyxl.Workbook()
    page = book.active
    page.title = sheet
    page["A1"] = title
    page.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    page.append(headers)
    for row in rows:
        page.append(row)
    book.save(path)
    return path


def ods(path: Path, rows: list[list[object]]) -> Path:
    document = OpenDocumentSpreadsheet()
    table = Table(name="活动")
    for values in rows:
        row = TableRow()
        for value in values:
            if isinstance(value, datetime):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
            elif isinstance(value, date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
            elif isinstance(value, time):
                cell = TableCell(valuetype="time", timevalue=f"PT{value.hour:02d}H{value.minute:02d}M00S")
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def xls(path: Path, rows: list[list[object]]) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    page = book.add_sheet("四月")
    page.write_merge(0, 0, 0, 3, "2026年4月活动安排")
    styles = {date: xlwt.easyxf(num_format_str="yyyy-mm-dd"), time: xlwt.easyxf(num_format_str="hh:mm")}
    for i, values in enumerate(rows, start=1):
        for j, value in enumerate(values):
            style = styles.get(type(value))
            page.write(i, j, value, style) if style else page.write(i, j, value)
    book.save(str(path))
    return path


def csv_file(path: Path, rows: list[list[object]], encoding: str) -> Path:
    with open(path, "w", encoding=encoding, newline="") as file:
        csv.writer(file).writerows(rows)
    return path


@pytest.fixture
def site(in_tmp: Path) -> Path:
    make_content(in_tmp)
    return in_tmp


def run(*argv: str) -> int:
    return main(["import", *argv, "--content", "content"])


def added(before: int = BASE_ACTIVITIES) -> list[dict[str, object]]:
    doc, errors = read_document(CASE)
    assert errors == []
    return doc.data["activities"][before:]


# --- sheets ------------------------------------------------------------------------------

def test_a_wps_sheet_with_a_merged_title_and_text_dates(site, capsys):
    wps_xlsx(site / "活动安排.xlsx", [
        [1, "读书会", "3月5日", "下午3点半", "社区图书室", "带上一本喜欢的书"],
        [2, "义诊", "3月6日（周五）", "上午9点-11点", "卫生服务站", None],
        [3, "法律咨询", "2026年3月7日", "14:30", "居委会", None],
        [4, "插花课", "2026/3/8", "全天", "活动室", None],
        [5, "亲子运动会", "2026-03-09", "下午2点-4点", "社区广场", None],
        [6, "夜跑", "3月10日 晚上7点", None, "江边步道", None],
        [None, None, None, None, None, None],
        ["注：活动如有调整另行通知"],
    ])
    assert run("activities", "活动安排.xlsx", "--case", "base") == 0
    assert added() == [
        {"title": "读书会", "description": "带上一本喜欢的书", "location": "社区图书室", "start": "2026-03-05 15:30"},
        {"title": "义诊", "location": "卫生服务站", "start": "2026-03-06 09:00", "end": "2026-03-06 11:00"},
        {"title": "法律咨询", "location": "居委会", "start": "2026-03-07 14:30"},
        {"title": "插花课", "location": "活动室", "start": "2026-03-08"},
        {"title": "亲子运动会", "location": "社区广场", "start": "2026-03-09 14:00", "end": "2026-03-09 16:00"},
        {"title": "夜跑", "location": "江边步道", "start": "2026-03-10 19:00"},
    ]
    assert "已向 content/cases/base.yaml 添加 6 项活动。" in capsys.readouterr().err
    assert main(["check", "--content", "content"]) == 0


def test_excel_date_and_time_cells_and_a_day_merged_over_two_rows(site):
    book = openpyxl.Workbook()
    page = book.active
    page.title = "Sheet1"
    page.append(["活动名称", "开始时间", "结束时间", "活动地点"])
    page.append(["读书会", datetime(2026, 3, 5, 15, 30), datetime(2026, 3, 5, 17, 0), "图书室"])
    page.append(["清洁日", date(2026, 3, 6), None, "各小区"])
    page.append(["合唱排练", 46090.375, time(11, 0), "活动室"])     # a serial number with no date format
    page["B2"].number_format = page["C2"].number_format = "yyyy-mm-dd hh:mm"
    page["B3"].number_format = "yyyy年m月d日"
    page["C4"].number_format = "hh:mm"
    book.create_sheet("说明")["A1"] = "这张表是活动安排"
    book.save(site / "plan.xlsx")
    assert run("activities", "plan.xlsx", "--case", "base") == 0
    assert added() == [
        {"title": "读书会", "location": "图书室", "start": "2026-03-05 15:30", "end": "2026-03-05 17:00"},
        {"title": "清洁日", "location": "各小区", "start": "2026-03-06"},
        {"title": "合唱排练", "location": "活动室", "start": "2026-03-09 09:00", "end": "2026-03-09 11:00"},
    ]


def test_merged_day_cells_give_each_row_the_day(site):
    path = wps_xlsx(site / "plan.xlsx", [
        [1, "上午场", date(2026, 3, 5), "9:00", "甲", None],
        [2, "下午场", None, "15:00", "乙", None],
    ])
    book = openpyxl.load_workbook(path)
    book.active.merge_cells("C3:C4")
    book.save(path)
    assert run("activities", "plan.xlsx", "--case", "base") == 0
    assert [a["start"] for a in added()] == ["2026-03-05 09:00", "2026-03-05 15:00"]


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_a_csv_in_gbk_or_utf8_with_repeats_and_durations(site, encoding):
    csv_file(site / "活动.csv", [
        ["标题", "开始时间", "时长", "地点", "重复", "截止", "说明"],
        ["周五环境整治", "2026/3/6 9:00", "2小时", "各小区", "每周五", "2026年6月26日", "清理楼道杂物"],
        ["议事会", "2026-03-15 19:30", "1.5", "议事厅", "每月15日", "", ""],
        ["健康讲座", "2026年3月20日上午9点", "", "卫生站", "无", "", ""],
    ], encoding)
    assert run("activities", "活动.csv", "--case", "base") == 0
    assert added() == [
        {"title": "周五环境整治", "description": "清理楼道杂物", "location": "各小区", "start": "2026-03-06 09:00",
         "duration": "2小时", "repeat": "每周五", "until": "2026-06-26"},
        {"title": "议事会", "location": "议事厅", "start": "2026-03-15 19:30", "duration": "1.5h", "repeat": "每月15日"},
        {"title": "健康讲座", "location": "卫生站", "start": "2026-03-20 09:00"},
    ]


def test_an_ods_sheet(site):
    ods(site / "plan.ods", [
        ["活动名称", "日期", "时间", "地点"],
        ["读书会", date(2026, 3, 5), time(15, 0), "图书室"],
        ["义诊", datetime(2026, 3, 6, 9, 30), "", "卫生站"],
    ])
    assert run("activities", "plan.ods", "--case", "base") == 0
    assert added() == [
        {"title": "读书会", "location": "图书室", "start": "2026-03-05 15:00"},
        {"title": "义诊", "location": "卫生站", "start": "2026-03-06 09:30"},
    ]


def test_an_xls_sheet_as_older_wps_saves_it(site):
    xls(site / "plan.xls", [
        ["活动名称", "日期", "时间", "地点"],
        ["读书会", date(2026, 4, 5), time(15, 0), "图书室"],
        ["义诊", "4月6日", "上午9点", "卫生站"],
    ])
    assert run("activities", "plan.xls", "--case", "base") == 0
    assert added() == [
        {"title": "读书会", "location": "图书室", "start": "2026-04-05 15:00"},
        {"title": "义诊", "location": "卫生站", "start": "2026-04-06 09:00"},
    ]


# --- errors ------------------------------------------------------------------------------

def test_every_bad_row_is_named_by_its_cell_and_nothing_is_written(site, capsys):
    before = CASE.read_bytes()
    wps_xlsx(site / "活动安排.xlsx", [
        ["读书会", "3月5日", "下午3点", "图书室"],           # row 3: fine
        ["", "3月6日", "9:00", "卫生站"],                    # row 4: no title
        ["议事会", "3月7日", "上午25点", "议事厅"],           # row 5: no such hour
        ["夜跑", "3月8日", "傍晚时分", "江边"],               # row 6: not a time
        ["义诊", "2月30日", "9:00", "卫生站"],                # row 7: no such day
        ["合唱", "3月9日", "11:00-9:00", "活动室"],           # row 8: ends before it starts
        ["读书会", "3月5日", "下午3点", "图书室"],            # row 9: row 3 again
        ["绘画", "三月十日", "9:00", "活动室"],               # row 10: not a date
        ["书法", "3月11日", "9:00", "活动室", "每周八"],      # row 11: not a repeat
        ["舞蹈" * 51, "3月12日", "9:00", "活动室"],           # row 12: title too long
    ], headers=["活动名称", "日期", "时间", "地点", "重复"])
    assert run("activities", "活动安排.xlsx", "--case", "base") == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines == [
        "活动安排.xlsx!三月:4:A: 缺少必填字段 title（活动名称）",
        "活动安排.xlsx!三月:5:C: 时间“上午25点”不存在",
        "活动安排.xlsx!三月:6:C: 时间“傍晚时分”看不懂：时间写成 上午9点、下午3点半、14:30 或 9:00-11:00",
        "活动安排.xlsx!三月:7:B: 日期“2月30日”不存在",
        "活动安排.xlsx!三月:8:C: 结束时间 2026-03-09 09:00 早于开始时间 2026-03-09 11:00",
        "活动安排.xlsx!三月:9:A: 与第 3 行的活动名称和开始时间相同：同一活动只写一次，重复的写在“重复”一列",
        "活动安排.xlsx!三月:10:B: 日期“三月十日”看不懂：日期写成 2026年3月5日、3月5日、2026/3/5 或 2026-03-05，"
        "时间写成 上午9点、下午3点半、14:30 或 9:00-11:00",
        "活动安排.xlsx!三月:11:E: 重复方式“每周八”里的星期几不对：只能写 一 到 六、日 或 天",
        "活动安排.xlsx!三月:12:A: title（活动名称）最多 100 个字，现在有 102 个字",
    ]
    assert "发现 9 个问题，没有导入任何活动。" in err
    assert CASE.read_bytes() == before


def test_a_day_without_a_year_needs_one_in_the_title(site, capsys):
    wps_xlsx(site / "plan.xlsx", [[1, "读书会", "3月5日", "9:00", "图书室", None]], title="三月活动安排")
    assert run("activities", "plan.xlsx", "--case", "base") == 1
    assert capsys.readouterr().out == ("plan.xlsx!三月:3:C: 日期“3月5日”没有写年份：在表格的标题里写上年份"
                                       "（如“2026年3月活动安排”），或写成 2026年3月5日\n")


def test_the_file_name_can_give_the_year(site):
    wps_xlsx(site / "2026年3月活动.xlsx", [[1, "读书会", "3月5日", "9:00", "图书室", None]], title="三月活动安排")
    assert run("activities", "2026年3月活动.xlsx", "--case", "base") == 0
    assert added()[0]["start"] == "2026-03-05 09:00"


def test_a_csv_error_has_no_sheet(site, capsys):
    csv_file(site / "活动.csv", [["标题", "日期"], ["读书会", "2026-02-30"]], "gbk")
    assert run("activities", "活动.csv", "--case", "base") == 1
    assert capsys.readouterr().out == "活动.csv:2:B: 日期“2026-02-30”不存在\n"


def test_columns_name_other_headers(site):
    csv_file(site / "活动.csv", [["活动内容", "举办日期", "场所", "负责人"],
                                 ["读书会", "2026-03-05", "图书室", "王老师"]], "utf-8")
    assert run("activities", "活动.csv", "--case", "base", "--columns", "标题=活动内容，地点=场所") == 0
    assert added() == [{"title": "读书会", "location": "图书室", "start": "2026-03-05"}]


def test_a_column_that_is_not_there(site, capsys):
    before = CASE.read_bytes()
    csv_file(site / "活动.csv", [["活动名称", "日期", "地址"], ["读书会", "2026-03-05", "图书室"]], "utf-8")
    assert run("activities", "活动.csv", "--case", "base", "--columns", "地点=场所") == 1
    assert capsys.readouterr().out == "活动.csv:1: --columns 里的 地点=场所：表头里没有“场所”这一列（表头有：活动名称、日期、地址）\n"
    assert CASE.read_bytes() == before


def test_a_role_yipin_does_not_know_is_a_usage_error(site, capsys):
    csv_file(site / "活动.csv", [["活动名称", "日期"], ["读书会", "2026-03-05"]], "utf-8")
    assert run("activities", "活动.csv", "--case", "base", "--columns", "负责人=王") == 2
    assert "--columns 里的“负责人=王”看不懂" in capsys.readouterr().err


def test_a_sheet_without_a_header(site, capsys):
    csv_file(site / "活动.csv", [["名单"], ["张三"]], "utf-8")
    assert run("activities", "活动.csv", "--case", "base") == 1
    assert capsys.readouterr().out == (
        "活动.csv:1: 找不到活动的表头：表头一行要有标题（如 活动名称、活动标题、标题）和日期或时间（如 日期、活动日期、时间）两列；"
        "列名不一样时用 --columns 指定，如 --columns 标题=活动内容\n")


@pytest.mark.parametrize(("argv", "code", "message"), [
    (["活动.csv", "--case", "nobody"], 1, "找不到案例 nobody"),
    (["活动.csv", "--case", "../base"], 2, "案例编号只用小写字母"),
    (["活动.docx", "--case", "base"], 2, "不是能导入的表格"),
    (["missing.csv", "--case", "base"], 2, "missing.csv: 找不到这个文件"),
])
def test_what_cannot_be_imported(site, capsys, argv, code, message):
    csv_file(site / "活动.csv", [["活动名称", "日期"], ["读书会", "2026-03-05"]], "utf-8")
    (site / "活动.docx").write_bytes(b"")
    assert run("activities", *argv) == code
    out, err = capsys.readouterr()
    assert message in out + err


def test_a_damaged_workbook(site, capsys):
    (site / "坏.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    assert run("activities", "坏.xlsx", "--case", "base") == 1
    assert capsys.readouterr().out.startswith("坏.xlsx:1: 读不出这个表格")


def test_a_case_with_problems_is_not_imported_into(site, capsys):
    CASE.write_text(CASE.read_text(encoding="utf-8").replace("name: 样例品牌", "name: ''"), encoding="utf-8")
    csv_file(site / "活动.csv", [["活动名称", "日期"], ["读书会", "2026-03-05"]], "utf-8")
    assert run("activities", "活动.csv", "--case", "base") == 1
    assert "content/cases/base.yaml:4:9: brand.name: name（品牌名称）不能为空" in capsys.readouterr().out


# --- what is written ---------------------------------------------------------------------

def test_rows_already_in_the_case_are_skipped(site, capsys):
    csv_file(site / "a.csv", [["活动名称", "开始时间"], ["周五环境卫生整治", "2024-03-01 09:00"],
                              ["读书会", "2026-03-05 15:00"]], "utf-8")
    assert run("activities", "a.csv", "--case", "base") == 0
    assert "添加 1 项活动，跳过 1 项案例里已有的活动（名称和开始时间相同）" in capsys.readouterr().err
    once = CASE.read_bytes()
    assert run("activities", "a.csv", "--case", "base") == 0
    assert "没有新活动，跳过 2 项案例里已有的活动" in capsys.readouterr().err
    assert CASE.read_bytes() == once


def test_dry_run_prints_the_yaml_and_writes_nothing(site, capsys):
    before = CASE.read_bytes()
    csv_file(site / "a.csv", [["活动名称", "开始时间", "地点", "说明"],
                              ["读书会", "2026-03-05 15:00", "图书室: 二楼", "第一行\n第二行"]], "utf-8")
    assert run("activities", "a.csv", "--case", "base", "--dry-run") == 0
    out, err = capsys.readouterr()
    assert out == ("  - title: 读书会\n"
                   "    description: |-\n"
                   "      第一行\n"
                   "      第二行\n"
                   "    location: '图书室: 二楼'\n"
                   "    start: 2026-03-05 15:00\n")
    assert "试运行：将向 content/cases/base.yaml 添加 1 项活动；没有写入。" in err
    assert CASE.read_bytes() == before


COMMENTED = """\
# yaml-language-server: $schema=../../schema/case.schema.json
# 样例案例：注释要留着
status: draft
brand:
    name: 样例品牌   # 行尾注释
community:
    name: 样例社区
    kind: urban
    region: {province: 广东省, city: 清远市, district: 清城区, street: 样例街道}
summary: 这是一个用于测试的样例案例，它的每个字段都是合法的，用来作为错误样本的基准，不应出现任何错误。
themes: [党建]
story:
    practices:
    -   title: 第一项做法
        body: 做法内容。
activities:
-   title: 旧活动
    # 这条注释属于旧活动
    start: 2024-03-01
    description: |
        第一段。

        第二段。

# 下面是来源（这条注释属于 sources）
sources:
-   {title: 样例报道, publisher: 样例日报}
# 文件末尾的注释
"""


def test_comments_layout_and_indentation_are_kept(site):
    CASE.write_text(COMMENTED.replace("\n", "\r\n"), encoding="utf-8")
    csv_file(site / "a.csv", [["活动名称", "日期"], ["读书会", "2026-03-05"], ["义诊", "2026-03-06"]], "utf-8")
    assert run("activities", "a.csv", "--case", "base") == 0
    text = CASE.read_bytes().decode("utf-8")
    expected = COMMENTED.replace("""\
        第二段。

# 下面是来源""", """\
        第二段。
-   title: 读书会
    start: 2026-03-05
-   title: 义诊
    start: 2026-03-06

# 下面是来源""")
    assert text == expected.replace("\n", "\r\n")
    assert main(["check", "--content", "content"]) == 0


@pytest.mark.parametrize("line", ["activities: []\n", "activities: []   # 以后再加\n", ""])
def test_an_empty_or_missing_list_gets_the_items(site, line):
    text = COMMENTED[: COMMENTED.index("activities:")] + line + COMMENTED[COMMENTED.index("# 下面是来源"):]
    CASE.write_text(text, encoding="utf-8")
    csv_file(site / "a.csv", [["活动名称", "日期"], ["读书会", "2026-03-05"]], "utf-8")
    assert run("activities", "a.csv", "--case", "base") == 0
    after = CASE.read_text(encoding="utf-8")
    item = "-   title: 读书会\n    start: 2026-03-05\n"
    if line:
        assert after == text.replace(line, line.replace(" []", "") + item)
    else:   # added at the end, indented as the file indents its other lists
        assert after == text + "\n# 活动：社区活动，一次性或重复的\nactivities:\n" + item
    assert added(0) == [{"title": "读书会", "start": "2026-03-05"}]


def test_a_draft_from_yipin_new_gets_its_activities(site):
    assert main(["new", "--content", "content", "--id", "demo"]) == 0
    csv_file(site / "a.csv", [["活动名称", "日期"], ["读书会", "2026-03-05"]], "utf-8")
    assert run("activities", "a.csv", "--case", "demo") == 0
    assert main(["check", "--content", "content"]) == 0


def test_import_check_build_and_the_calendar(site, capsys):
    wps_xlsx(site / "活动安排.xlsx", [
        [1, "社区读书会", "3月5日", "下午3点", "社区图书室", "带一本书"],
        [2, "周末义诊", "3月7日", "上午9点-11点", "卫生服务站", None],
    ])
    assert run("activities", "活动安排.xlsx", "--case", "base") == 0
    assert main(["check", "--content", "content"]) == 0
    config = site_config(site, site / "content", calendar_today="2026-03-01")
    assert main(["build", "-f", str(config)]) == 0
    occurrences = json.loads((site / "site" / "api" / "v1" / "activities.json").read_text(encoding="utf-8"))
    text = json.dumps(occurrences, ensure_ascii=False)
    assert "社区读书会" in text and "2026-03-05T15:00" in text
    assert "周末义诊" in text and "2026-03-07T09:00" in text
    feed = (site / "site" / "calendar.ics").read_text(encoding="utf-8")
    assert "SUMMARY:社区读书会" in feed and "DTSTART;TZID=Asia/Shanghai:20260305T150000" in feed
    assert "SUMMARY:周末义诊\nDTSTART;TZID=Asia/Shanghai:20260307T090000\nDURATION:PT2H\n" in feed


# --- dates -------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "when"), [
    ("2026年3月5日", When(date(2026, 3, 5))),
    ("3月5日", When(date(2026, 3, 5))),
    ("3月5号 星期四", When(date(2026, 3, 5))),
    ("2026/3/5", When(date(2026, 3, 5))),
    ("2026.03.05", When(date(2026, 3, 5))),
    ("2026-03-05 14:30", When(date(2026, 3, 5), time(14, 30))),
    ("上午9点", When(start=time(9))),
    ("下午3点半", When(start=time(15, 30))),
    ("中午12点", When(start=time(12))),
    ("晚上8点一刻", When(start=time(20, 15))),
    ("14:30", When(start=time(14, 30))),
    ("１４：３０", When(start=time(14, 30))),
    ("9:00-11:00", When(start=time(9), end=time(11))),
    ("9:00～11:00", When(start=time(9), end=time(11))),
    ("下午2点至4点", When(start=time(14), end=time(16))),
    ("上午9点-下午3点", When(start=time(9), end=time(15))),
    ("9时30分", When(start=time(9, 30))),
    ("3月5日上午9:00-11:30", When(date(2026, 3, 5), time(9), time(11, 30))),
    (datetime(2026, 3, 5, 9, 30), When(date(2026, 3, 5), time(9, 30))),
    (datetime(2026, 3, 5), When(date(2026, 3, 5))),
    (46086.0, When(date(2026, 3, 5))),
    (0.625, When(start=time(15))),
])
def test_dates_and_times_as_staff_write_them(written, when):
    assert read_when(written, "日期", 2026) == when


@pytest.mark.parametrize(("written", "message"), [
    ("2月29日", "日期“2月29日”不存在"),
    ("13月1日", "日期“13月1日”不存在"),
    ("下午25点", "日期“下午25点”不存在"),
    ("9:75", "日期“9:75”不存在"),
    ("下周三", "日期“下周三”看不懂：日期写成 2026年3月5日、3月5日、2026/3/5 或 2026-03-05，时间写成 上午9点、下午3点半、14:30 或 9:00-11:00"),
    (12.0, "日期“12”看不懂：日期写成 2026年3月5日、3月5日、2026/3/5 或 2026-03-05"),
])
def test_dates_that_do_not_exist_or_cannot_be_read(written, message):
    with pytest.raises(CellProblem) as problem:
        read_when(written, "日期", 2026)
    assert problem.value.message == message


# --- articles ----------------------------------------------------------------------------

PARAGRAPHS = [
    "连江社区是一个老旧小区较多的城市社区，居民以老年人为主。",
    "社区提出“在连江，看见美好生活”的品牌口号。",
    "社区建立了“居民点单、社区派单”的议事机制，搭建共享空间。",
    "截至今年10月，累计服务群众3万人次。",
    "改造后居民满意度明显提升，成效得到各方肯定。",
    "每周五上午，志愿者在江湾公园开展环境清洁活动。",
]


def draft(case_id: str) -> str:
    return (Path("content/cases") / f"{case_id}.yaml").read_text(encoding="utf-8")


def assert_placed(text: str) -> None:
    """Each paragraph as a comment right under the description of its field."""
    for described, paragraph in [
        ("  # 背景与起因：为什么做这个品牌（可用 Markdown）", PARAGRAPHS[0]),
        ("# 品牌：品牌名称、口号、启动时间、标志", PARAGRAPHS[1]),
        ("  # 做法与经过：具体做法，至少一项，按顺序写", PARAGRAPHS[2]),
        ("# 关键数字：在页面上大字显示的数字", PARAGRAPHS[3]),
        ("  # 成效与反响：取得的成效和各方反响（可用 Markdown）", PARAGRAPHS[4]),
        ("# 活动：社区活动，一次性或重复的", PARAGRAPHS[5]),
    ]:
        pad = described[: len(described) - len(described.lstrip())]
        assert f"{described}\n{pad}# 〔原文〕{paragraph}\n" in text, paragraph


def sources(case_id: str) -> list[dict[str, object]]:
    doc, errors = read_document(Path("content/cases") / f"{case_id}.yaml")
    assert errors == []
    assert doc.data["status"] == "draft"
    return doc.data["sources"]


def test_a_word_article(site, capsys):
    document = docx.Document()
    document.add_paragraph("连江社区：营造计划让老旧小区焕新", style="Title")
    document.add_paragraph("来源：南方日报")
    document.add_paragraph("2022年11月26日 08:30")
    for paragraph in PARAGRAPHS:
        document.add_paragraph(paragraph)
    document.add_paragraph("编辑：李四")
    document.save(site / "lianjiang.docx")
    assert run("article", "lianjiang.docx") == 0   # the id from the file's name
    assert "已写入 content/cases/lianjiang.yaml（草稿，不会发布）" in capsys.readouterr().err
    assert sources("lianjiang") == [{"title": "连江社区：营造计划让老旧小区焕新", "publisher": "南方日报",
                                     "date": "2022-11-26", "url": None}]
    text = draft("lianjiang")
    assert_placed(text)
    assert "编辑：李四" not in text and "〔原文〕来源" not in text
    assert main(["check", "--content", "content"]) == 0


WECHAT = """<!DOCTYPE html><html><head><meta charset="utf-8">
<meta property="og:title" content="善治 | 连江社区：营造计划让老旧小区焕新">
<meta property="og:url" content="http://mp.weixin.qq.com/s?__biz=MzA&amp;mid=1">
<meta name="author" content="张明">
<title>善治 | 连江社区</title>
<script>var ct = "1669420800"; var nickname = htmlDecode("南方日报");</script>
</head><body><div id="page-content">
<h1 class="rich_media_title" id="activity-name">
    善治 | 连江社区：营造计划让老旧小区焕新</h1>
<div id="meta_content"><span><a id="js_name">南方日报</a></span><em id="publish_time"></em></div>
<div class="rich_media_content" id="js_content" style="visibility: hidden;">
<section><p><span>点击蓝字 关注我们</span></p><img src="data:image/png;base64,AAAA"></section>
{paragraphs}
<p style="text-align:right"><span>编辑：李四</span><br></p>
</div><script>var t = "不是正文";</script></div></body></html>"""


def test_a_saved_wechat_article(site):
    body = "".join(f"<section><p><span>{p[:5]}</span><strong>{p[5:]}</strong></p></section>\n" for p in PARAGRAPHS)
    (site / "文章.html").write_text(WECHAT.replace("{paragraphs}", body), encoding="utf-8")
    assert run("article", "文章.html", "--id", "lianjiang") == 0
    assert sources("lianjiang") == [{"title": "善治 | 连江社区：营造计划让老旧小区焕新", "publisher": "南方日报",
                                     "date": "2022-11-26", "url": "http://mp.weixin.qq.com/s?__biz=MzA&mid=1"}]
    text = draft("lianjiang")
    assert_placed(text)
    assert "# 来源：案例事实的出处；发布的案例至少一条\n# 〔原文〕作者：张明\nsources:" in text
    assert "不是正文" not in text and "关注我们" not in text
    assert main(["check", "--content", "content"]) == 0


def test_a_text_article_in_gbk(site):
    lines = ["连江社区营造计划", "作者：王五　来源：清远日报", *PARAGRAPHS]
    (site / "article.txt").write_bytes("\r\n\r\n".join(lines).encode("gbk"))
    assert run("article", "article.txt", "--id", "demo") == 0
    assert sources("demo") == [{"title": "连江社区营造计划", "publisher": "清远日报", "url": None}]
    text = draft("demo")
    assert_placed(text)
    assert "# 〔原文〕作者：王五\n" in text
    assert main(["check", "--content", "content"]) == 0


def test_an_article_says_nothing_of_its_publisher(site):
    (site / "a.txt").write_text("标题\n" + PARAGRAPHS[0], encoding="utf-8")
    assert run("article", "a.txt", "--id", "demo") == 0
    assert sources("demo") == [{"title": "标题", "publisher": "（待填写）发布单位", "url": None}]


@pytest.mark.parametrize(("argv", "code", "message"), [
    (["社区文章.txt"], 2, "请用 --id 指定新案例的编号"),
    (["社区文章.txt", "--id", "Bad_Id"], 2, "--id: 编号“Bad_Id”不合规"),
    (["社区文章.txt", "--id", "base"], 1, "content/cases/base.yaml 已经存在，没有覆盖"),
    (["社区文章.doc", "--id", "x"], 2, "旧的 .doc 请用 Word 或 WPS 另存为 .docx"),
])
def test_an_article_that_cannot_be_a_case(site, capsys, argv, code, message):
    (site / "社区文章.txt").write_text("标题\n正文", encoding="utf-8")
    (site / "社区文章.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    assert run("article", *argv) == code
    assert message in capsys.readouterr().err


def test_an_article_never_writes_through_a_broken_link(site, tmp_path, capsys):
    (site / "a.txt").write_text("标题\n" + PARAGRAPHS[0], encoding="utf-8")
    (site / "content" / "cases" / "demo.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    assert run("article", "a.txt", "--id", "demo") == 1
    assert "content/cases/demo.yaml 已经存在，没有覆盖" in capsys.readouterr().err
    assert not (tmp_path / "elsewhere.yaml").exists() and (site / "content" / "cases" / "demo.yaml").is_symlink()


def test_a_list_written_on_one_line_is_not_rewritten(site, capsys):
    text = COMMENTED[: COMMENTED.index("activities:")] + "activities: [{title: 旧活动, start: 2024-03-01}]\n"
    CASE.write_text(text, encoding="utf-8")
    csv_file(site / "a.csv", [["活动名称", "日期"], ["读书会", "2026-03-05"]], "utf-8")
    assert run("activities", "a.csv", "--case", "base") == 1
    assert "content/cases/base.yaml:16:13: activities 写在了一行里（[…]），无法自动追加" in capsys.readouterr().err
    assert CASE.read_text(encoding="utf-8") == text


def test_more_activities_than_a_case_holds(site, capsys):
    rows = [[f"活动{i}", f"2026-03-05 {i // 60:02d}:{i % 60:02d}"] for i in range(200)]
    csv_file(site / "a.csv", [["活动名称", "开始时间"], *rows], "utf-8")
    assert run("activities", "a.csv", "--case", "base") == 1
    assert capsys.readouterr().out == "content/cases/base.yaml:35:3: activities: activities（活动）最多 200 项，现在有 201 项\n"


def test_a_bom_is_kept(site):
    CASE.write_bytes(b"\xef\xbb\xbf" + CASE.read_bytes())
    csv_file(site / "a.csv", [["活动名称", "日期"], ["读书会", "2026-03-05"]], "utf-8")
    assert run("activities", "a.csv", "--case", "base") == 0
    assert CASE.read_bytes().startswith(b"\xef\xbb\xbf# yaml-language-server")
    assert added() == [{"title": "读书会", "start": "2026-03-05"}]


def test_the_guide_lists_every_header_and_keyword():
    from yipin.imports.article import PLACES
    from yipin.imports.columns import ROLES

    from .conftest import REPO
    guide = (REPO / "docs" / "guide" / "import.md").read_text(encoding="utf-8")
    for role in ROLES:
        assert all(header in guide for header in role.headers), role.key
        assert f"| {role.label} |" in guide, role.label
    for _, words in PLACES:
        assert f"| {'、'.join(words)} |" in guide, words


def test_a_plan_with_headers_and_no_rows_adds_nothing(site, capsys):
    before = CASE.read_bytes()
    wps_xlsx(site / "plan.xlsx", [])
    assert run("activities", "plan.xlsx", "--case", "base") == 0
    assert "没有新活动：content/cases/base.yaml 没有改动。" in capsys.readouterr().err
    assert CASE.read_bytes() == before
