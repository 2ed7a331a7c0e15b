"""Zipped office files (.xlsx, .ods, .docx) checked before a library opens them: the readers
(calamine, python-docx) trust what the file says, and a few KB can claim gigabytes.

- The zip's directory is read first: too many members or too many unpacked bytes is refused.
- Every member is then unpacked once here, in a stream, up to the sizes the directory claims
  (Python's zipfile stops at the claimed size and checks the CRC, so a member that lies is
  caught), and no XML member may carry a DTD (<!DOCTYPE: entity bombs, external entities).
- A worksheet of an .xlsx may not reach beyond MAX_ROWS × MAX_COLUMNS, by its <dimension>
  or by any cell's reference: calamine allocates the whole rectangle from A1 to the last cell.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

__all__ = ["PackageRefused", "check_package", "MAX_ROWS", "MAX_COLUMNS"]

MAX_MEMBERS = 2_000             # an office file holds some dozen parts, a few hundred with pictures
MAX_UNPACKED = 200_000_000      # bytes, all members together: a Word file with its photos
MAX_ROWS = 10_000               # a sheet of activities: some years of a street's plans
MAX_COLUMNS = 200
_CHUNK = 1 << 20
_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_CELL = re.compile(rb'<(?:\w+:)?(?:c|dimension)\b[^>]*?\b(?:r|ref)="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"')
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


class PackageRefused(Exception):
    """Why a file is not opened: ``sheet`` names the worksheet at fault ('' for the file)."""

    def __init__(self, message: str, sheet: str = "") -> None:
        super().__init__(message)
        self.sheet = sheet


def check_package(raw: bytes, noun: str) -> None:
    """Raise PackageRefused for a zipped office file (a ``noun``: 表格, Word 文件) that would
    cost more than it should to open. A file that is no zip at all is left to its reader,
    which says so."""
    if not raw.startswith(b"PK"):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            _check_directory(package, noun)
            sheets = {name: _extent(package, name) for name in _members(package)
                      if re.fullmatch(r"xl/worksheets/[^/]+\.xml", name)}
            names = _sheet_names(package)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError,
            ElementTree.ParseError, OSError) as exc:
        raise PackageRefused(f"读不出这个{noun}（{exc}）：文件可能已损坏；请用 Office 或 WPS 打开后另存一份再导入") from None
    for member, (row, column) in sorted(sheets.items()):
        if row > MAX_ROWS or column > MAX_COLUMNS:
            sheet = names.get(member, member)
            raise PackageRefused(f"这个工作表用到了第 {row} 行、第 {column} 列，超过能导入的 {MAX_ROWS} 行 × {MAX_COLUMNS} 列："
                                 "请删去表格下方和右侧多余的内容（或把要导入的活动复制到一个新表格）再导入", sheet)


def _check_directory(package: zipfile.ZipFile, noun: str) -> None:
    members = package.infolist()
    if len(members) > MAX_MEMBERS:
        raise PackageRefused(f"这个{noun}里有 {len(members)} 个部件，超过 {MAX_MEMBERS} 个：不像正常的文件，请另存一份再导入")
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED:
        raise PackageRefused(f"这个{noun}解压后有 {unpacked // 1_000_000} MB，超过 {MAX_UNPACKED // 1_000_000} MB："
                       "请删去其中的大图片或只保留要导入的内容再试")


def _members(package: zipfile.ZipFile) -> Iterator[str]:
    """Each member's name, after unpacking it once in full (the CRC proves its size) and,
    for XML, looking for a DTD."""
    for member in package.infolist():
        xml = member.filename.endswith((".xml", ".rels"))
        tail = b""
        with package.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                if xml and _DTD.search(tail + chunk):
                    raise PackageRefused(f"文件里的 {member.filename} 带有 DTD（<!DOCTYPE>）：正常的 Office 文件没有它，"
                                          "请用 Office 或 WPS 打开后另存一份再导入")
                tail = chunk[-16:]
        yield member.filename


def _extent(package: zipfile.ZipFile, member: str) -> tuple[int, int]:
    """The last row and column a worksheet's dimension or cells name."""
    rows, columns = 0, 0
    for found in _CELL.finditer(package.read(member)):
        for letters, number in ((found[1], found[2]), (found[3], found[4])):
            if letters:
                rows, columns = max(rows, int(number)), max(columns, _column(letters))
    return rows, columns


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _sheet_names(package: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet member → the sheet's name, from the workbook and its relationships."""
    names = set(package.namelist())
    if not {"xl/workbook.xml", "xl/_rels/workbook.xml.rels"} <= names:
        return {}
    targets = {rel.get("Id"): rel.get("Target", "")
               for rel in ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels")).findall("p:Relationship", _NS)}
    sheets = ElementTree.fromstring(package.read("xl/workbook.xml")).iterfind("m:sheets/m:sheet", _NS)
    return {"xl/" + targets.get(sheet.get(f"{{{_NS['r']}}}id"), "").lstrip("/").removeprefix("xl/"): sheet.get("name", "")
            for sheet in sheets}

