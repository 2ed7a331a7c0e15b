"""Activity sheets as tables of cells: .xlsx, .xls and .ods through python-calamine (dates
and times come as Python values), .csv through the csv module in UTF-8 or GBK.

Every cell keeps its place as staff see it in their spreadsheet (row 7, column B), so an
error can name it: ``活动安排.xlsx!三月:7:B: …`` (a CSV has no sheet: ``活动.csv:7:B: …``).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from yipin.errors import ContentError, ContentErrors, MachineError, UsageError, display_path
from yipin.imports.packages import PackageRefused, check_package
from yipin.utils.files import file_problem, os_problem, read_bounded

__all__ = ["CellError", "Table", "read_tables", "read_file", "decode_text", "column_letter", "SHEET_SUFFIXES",
           "MAX_SHEET_BYTES"]

WORKBOOKS = {".xlsx", ".xlsm", ".xls", ".ods"}
SHEET_SUFFIXES = WORKBOOKS | {".csv"}
MAX_SHEET_BYTES = 20_000_000   # a month's plan is some KB; a sheet of pictures may be a few MB
ENCODINGS = ("utf-8-sig", "gb18030")   # Excel saves CSV as UTF-8 with a BOM or, on Chinese Windows, as GBK;
# GB18030 decodes every GBK file, and UTF-8 is tried first because GB18030 would accept much of it too


def column_letter(column: int) -> str:
    """1 → A, 26 → Z, 27 → AA: the column as a spreadsheet names it."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class CellError(ContentError):
    """A problem in a cell (or, with column 0, a row) of a sheet. ``file`` is the file and its
    sheet (``活动安排.xlsx!三月``), ``line`` the row; it prints as spreadsheets name a cell:
    ``活动安排.xlsx!三月:7:B: 日期“2月30日”不存在``."""

    def __str__(self) -> str:
        column = f"{column_letter(self.column)}:" if self.column else ""
        return f"{self.file}:{self.line}:{column} {self.message}"

    # Sorted beside the errors of a record file (ContentError compares only with its own class).
    def __lt__(self, other: object) -> bool:
        return _key(self) < _key(other) if isinstance(other, ContentError) else NotImplemented

    def __gt__(self, other: object) -> bool:
        return _key(self) > _key(other) if isinstance(other, ContentError) else NotImplemented


def _key(error: ContentError) -> tuple[str, int, int, str, str, str]:
    return error.file, error.line, error.column, error.field, error.code, error.message


@dataclass(frozen=True)
class Table:
    """One sheet: ``rows[i][j]`` is the cell at row i + 1, column j + 1 ('' when empty)."""

    where: str                 # the file and sheet as errors name them
    name: str                  # the sheet's name ('' for a CSV)
    rows: list[list[Any]]

    def error(self, row: int, column: int, code: str, message: str) -> CellError:
        return CellError(self.where, row, column, "", code, message)


def read_tables(path: Path) -> list[Table]:
    """Every sheet of the file, in order. UsageError for a file that is no sheet Yipin reads,
    MachineError for one the system will not give, ContentErrors for a damaged one."""
    suffix = path.suffix.lower()
    if suffix not in SHEET_SUFFIXES:
        raise UsageError(f"{display_path(path)} 不是能导入的表格：请另存为 .xlsx、.xls、.ods 或 .csv 再导入")
    raw = read_file(path, "表格文件")
    shown = display_path(path)
    if suffix == ".csv":
        tables = [Table(shown, "", _csv_rows(raw, shown))]
    else:
        tables = _workbook(raw, shown)
    errors = [error for table in tables for error in _clean(table)]
    if errors:
        raise ContentErrors(errors)
    return tables


def _workbook(raw: bytes, shown: str) -> list[Table]:
    try:
        check_package(raw, "表格")
    except PackageRefused as refused:
        where = f"{shown}!{refused.sheet}" if refused.sheet else shown
        raise ContentErrors([CellError(where, 1, 0, "", "file-too-costly", str(refused))]) from None
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        return [_sheet(book, name, shown) for name in book.sheet_names]
    except (CalamineError, ValueError, OSError) as exc:
        raise ContentErrors([CellError(shown, 1, 0, "", "sheet-unreadable",
                                       f"读不出这个表格（{exc}）：文件可能已损坏，或者并不是 Excel/WPS 表格；"
                                       "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入")]) from None


def _clean(table: Table) -> list[CellError]:
    """Text cells as records can hold them, in place: Windows line ends become line ends and
    tabs spaces; any other control character (NUL, ESC …) is refused, naming its cell."""
    errors = []
    for r, row in enumerate(table.rows):
        for c, value in enumerate(row):
            if not isinstance(value, str):
                continue
            value = row[c] = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
            bad = next((ch for ch in value if ch != "\n" and unicodedata.category(ch) == "Cc"), None)
            if bad is not None:
                errors.append(table.error(r + 1, c + 1, "control-character",
                                          f"这一格有看不见的控制字符（U+{ord(bad):04X}）：请删去这一格的内容重新输入"))
    return errors


def read_file(path: Path, noun: str, limit: int = MAX_SHEET_BYTES) -> bytes:
    """The bytes of a file to import; UsageError or MachineError (unreadable) saying why not."""
    problem = file_problem(path, noun, {})
    if problem is None:
        try:
            raw = read_bounded(path, limit)
        except OSError as exc:
            problem = os_problem(exc, path, {})
    if problem is not None:
        code, message = problem
        error = MachineError if code == "unreadable" else UsageError
        raise error(f"{display_path(path)}: {message}")
    if len(raw) > limit:
        raise UsageError(f"{display_path(path)} 超过 {limit // 1_000_000} MB：要导入的表格和文章通常只有几十 KB，"
                         "请只保留要导入的内容再试")
    return raw


def _sheet(book: CalamineWorkbook, name: str, shown: str) -> Table:
    sheet = book.get_sheet_by_name(name)
    rows = [list(row) for row in sheet.to_python(skip_empty_area=False)]
    for (top, left), (bottom, _) in sheet.merged_cell_ranges or ():
        # WPS sheets merge one day's cell over its activities: each row gets the day.
        for row in range(top + 1, min(bottom, len(rows) - 1) + 1):
            if left < len(rows[row]) and rows[row][left] == "" and left < len(rows[top]):
                rows[row][left] = rows[top][left]
    return Table(f"{shown}!{name}", name, rows)


def _csv_rows(raw: bytes, shown: str) -> list[list[Any]]:
    text = decode_text(raw)
    if text is None:
        raise ContentErrors([CellError(shown, 1, 0, "", "encoding",
                                       "文件既不是 UTF-8 也不是 GBK 编码：请用 Excel 或 WPS 打开后另存为 .xlsx 再导入")])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return [list(row) for row in reader]
    except csv.Error:  # a cell over csv's field limit (131,072 characters): a stray quote swallowed the rows after it
        raise ContentErrors([CellError(shown, reader.line_num, 0, "", "csv-field",
                                       f"从这一行起有一格超过 {csv.field_size_limit()} 个字符：多半是一个多余的引号（\"）"
                                       "让后面的内容都进了这一格，请检查这一行的引号")]) from None


def decode_text(raw: bytes) -> str | None:
    """Text saved on Chinese Windows: UTF-8 (with or without a BOM) or GBK; None if neither."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _delimiter(text: str) -> str:
    """Comma as Excel writes it, or the semicolon or tab some locales and exports use: the one
    the header line holds most of."""
    first = text.split("\n", 1)[0]
    return max(",;\t", key=first.count)
