"""Imported files that are bombs (issue 27): each runs `yipin import` in a child process under
a memory limit and a time limit, and must end with one Chinese line naming the file (and
sheet or row) or, for the HTML ones, a draft, never an abort, a traceback or a swap storm.
The bombs are made here, a few KB each on disk."""

from __future__ import annotations

import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from yipin.content.reader import read_document

from .conftest import make_content
from .test_import import CASE, added, run

MEMORY = 1_500_000_000   # bytes of address space: the XFD1048576 sheet asked calamine for 550 GB
SECONDS = 60             # two shared cores; each of these takes a few seconds


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _import(site: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "yipin", "import", *argv, "--content", "content"], cwd=site,
                          capture_output=True, text=True, timeout=SECONDS, preexec_fn=_limited)


@pytest.fixture
def site(in_tmp: Path) -> Path:
    make_content(in_tmp)
    return in_tmp


def _sheet(path: Path, far: str | None = None) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "三月"
    book.active.append(["活动名称", "日期"])
    book.active.append(["议事会", "2026-03-05"])
    if far:
        book.active[far] = "x"
    book.save(path)
    return path


def _rezip(path: Path, replace: dict[str, bytes]) -> None:
    """``path`` with the members in ``replace`` rewritten (or added)."""
    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name, data in {**members, **replace}.items():
            target.writestr(name, data)


def _word(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("标题")
    document.add_paragraph("正文")
    document.save(path)
    return path


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b'<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')


def _assert_one_line(result: subprocess.CompletedProcess[str], code: int, expected: str) -> None:
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == expected + "\n" or result.stdout.startswith(expected), result.stdout


def test_a_value_in_the_last_cell_of_a_sheet(site):
    _sheet(site / "plan.xlsx", "XFD1048576")
    result = _import(site, "activities", "plan.xlsx", "--case", "base")
    _assert_one_line(result, 1, "plan.xlsx!三月:1: 这个工作表用到了第 1048576 行、第 16384 列，超过能导入的 10000 行 × 200 列："
                                "请删去表格下方和右侧多余的内容（或把要导入的活动复制到一个新表格）再导入")


def test_a_sheet_that_claims_a_huge_dimension(site):
    path = _sheet(site / "plan.xlsx")
    with zipfile.ZipFile(path) as source:
        sheet = source.read("xl/worksheets/sheet1.xml")
    _rezip(path, {"xl/worksheets/sheet1.xml": sheet.replace(b'<dimension ref="A1:B2"', b'<dimension ref="A1:XFD5000"')})
    result = _import(site, "activities", "plan.xlsx", "--case", "base")
    _assert_one_line(result, 1, "plan.xlsx!三月:1: 这个工作表用到了第 5000 行、第 16384 列")


def test_a_zip_bomb_workbook(site):
    path = _sheet(site / "plan.xlsx")
    _rezip(path, {"xl/media/image1.png": bytes(250_000_000)})
    assert path.stat().st_size < 1_000_000
    result = _import(site, "activities", "plan.xlsx", "--case", "base")
    _assert_one_line(result, 1, "plan.xlsx:1: 这个表格解压后有 250 MB，超过 200 MB：请删去其中的大图片或只保留要导入的内容再试")


def test_a_zip_of_many_members(site):
    path = _sheet(site / "plan.xlsx")
    _rezip(path, {f"xl/media/{n}.bin": b"" for n in range(3000)})
    result = _import(site, "activities", "plan.xlsx", "--case", "base")
    _assert_one_line(result, 1, "plan.xlsx:1: 这个表格里有 3009 个部件，超过 2000 个")


def test_a_billion_laughs_word_file(site):
    _rezip(_word(site / "a.docx"), {"word/document.xml": LAUGHS})
    result = _import(site, "article", "a.docx", "--id", "demo")
    _assert_one_line(result, 1, "a.docx:1:1: 文件里的 word/document.xml 带有 DTD（<!DOCTYPE>）：正常的 Office 文件没有它，"
                                "请用 Office 或 WPS 打开后另存一份再导入")
    assert not (site / CASE.with_name("demo.yaml")).exists()


def test_a_malformed_word_document(site):
    _rezip(_word(site / "a.docx"), {"word/document.xml": b"<w:document"})
    result = _import(site, "article", "a.docx", "--id", "demo")
    _assert_one_line(result, 1, "a.docx:1:1: 读不出这个 Word 文件（")
    assert result.stdout.count("\n") == 1


def test_a_stray_quote_in_a_long_csv(site):
    rows = ["活动名称,日期", '"议事会,2026-03-05'] + [f"活动{n},2026-03-05" for n in range(8000)]
    (site / "plan.csv").write_text("\n".join(rows), encoding="utf-8")
    result = _import(site, "activities", "plan.csv", "--case", "base")
    _assert_one_line(result, 1, "plan.csv:")
    assert "从这一行起有一格超过 131072 个字符：多半是一个多余的引号（\"）让后面的内容都进了这一格，请检查这一行的引号" in result.stdout


@pytest.mark.parametrize("html", ["<html><body><p>标题</p>" + "<span>文字" * 40_000 + "</body></html>",
                                  "<html><body><p>标题</p>" + "<div>" * 200_000 + "文字" + "</div>" * 200_000 + "</body></html>"],
                         ids=["unclosed-spans", "nested-divs"])
def test_saved_pages_that_nest_without_end_parse_in_linear_time(site, html):
    (site / "a.html").write_text(html, encoding="utf-8")
    result = _import(site, "article", "a.html", "--id", "demo")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (site / "content" / "cases" / "demo.yaml").is_file()


def test_control_characters_in_cells_are_cleaned_or_named(site, capsys):
    (site / "plan.csv").write_text('活动名称,日期,说明\n议事\x1b会,2026-03-05,"第一行\r\n第二行\t完"\n', encoding="utf-8")
    assert run("activities", "plan.csv", "--case", "base") == 1
    assert capsys.readouterr().out == "plan.csv:2:A: 这一格有看不见的控制字符（U+001B）：请删去这一格的内容重新输入\n"
    (site / "plan.csv").write_text('活动名称,日期,说明\n议事会,2026-03-05,"第一行\r\n第二行\t完"\n', encoding="utf-8")
    assert run("activities", "plan.csv", "--case", "base") == 0
    assert added()[0]["description"] == "第一行\n第二行 完"


def test_a_day_beyond_the_outputs_is_refused_in_its_cell(site, capsys):
    (site / "plan.csv").write_text("活动名称,日期\n议事会,2202-11-26\n", encoding="utf-8")
    assert run("activities", "plan.csv", "--case", "base") == 1
    assert capsys.readouterr().out == "plan.csv:2:B: 日期“2202-11-26”不在 1900 年到 2099 年之间：请检查年份\n"


def test_a_wechat_time_in_the_year_5138_gives_no_date(site):
    (site / "a.html").write_text('<html><head><script>var ct = 99999999999;</script></head>'
                                 "<body><p>标题</p><p>正文</p></body></html>", encoding="utf-8")
    assert run("article", "a.html", "--id", "demo") == 0
    doc, errors = read_document(site / "content" / "cases" / "demo.yaml")
    assert errors == [] and "date" not in doc.data["sources"][0]
