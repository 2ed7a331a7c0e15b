"""Which column of a sheet holds what: the headers Yipin recognises, `--columns` to name
others, and the header row itself (a WPS sheet often has a merged title in row 1 and its
headers in row 2: the header row is the first with a title and a date or time column).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from yipin.errors import UsageError
from yipin.imports.sheets import CellError, Table

__all__ = ["Role", "ROLES", "Header", "parse_columns", "find_header", "header_key", "HEADER_ROWS"]

HEADER_ROWS = 10   # the header is looked for in this many rows at the top of a sheet


@dataclass(frozen=True)
class Role:
    key: str                    # what the column gives: an activity field, or date / time
    label: str                  # its Chinese name, in --columns and in the guide
    headers: tuple[str, ...]    # the headers recognised for it, first the usual one


# The documented mapping (docs/guide/import.md shows this table). Each role in turn takes
# the column of its most usual header still free: with 日期 and 活动时间, 日期 gives the day
# and 活动时间 the time; 活动时间 alone gives both.
ROLES = (
    Role("title", "标题", ("活动名称", "活动标题", "标题", "名称", "活动", "活动主题", "主题", "活动项目", "项目名称")),
    Role("date", "日期", ("日期", "活动日期", "开始日期", "开始时间", "活动时间", "日期时间", "举办日期", "举办时间")),
    Role("time", "时间", ("时间", "时段", "具体时间", "活动时段", "起止时间", "开始时刻", "活动时间", "开始时间")),
    Role("end", "结束时间", ("结束时间", "结束日期", "结束")),
    Role("duration", "时长", ("时长", "活动时长", "持续时间", "用时")),
    Role("location", "地点", ("地点", "活动地点", "地址", "活动地址", "场所", "活动场所", "场地", "活动场地", "位置")),
    Role("repeat", "重复", ("重复", "重复方式", "周期", "频次", "频率")),
    Role("until", "截止", ("截止", "截止日期", "重复截止", "截止时间", "重复至")),
    Role("count", "次数", ("次数", "重复次数", "举办次数")),
    Role("description", "说明", ("说明", "活动说明", "备注", "内容", "活动内容", "简介", "活动简介", "详情", "活动详情", "描述")),
)
_NUMBERING = {"序号", "编号", "No", "NO", "No.", "#"}   # columns nobody expects to be imported: not mentioned
_BY_NAME = {name: role for role in ROLES for name in (role.key, role.label)}
_NOTE = re.compile(r"[(（][^)）]*[)）]")


def header_key(text: object) -> str:
    """A header as compared: no spaces, no note in brackets (时长（小时） → 时长), no * or colon."""
    plain = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"[\s*:：]", "", _NOTE.sub("", plain))


def parse_columns(text: str | None) -> dict[str, str]:
    """`--columns 标题=活动内容,地点=场所` as role key → header key. UsageError for a role
    Yipin does not know or a pair without '='."""
    chosen: dict[str, str] = {}
    for pair in re.split(r"[,，;；]", text or ""):
        if not pair.strip():
            continue
        name, equals, header = (part.strip() for part in unicodedata.normalize("NFKC", pair).partition("="))
        role = _BY_NAME.get(name)
        if not equals or not header or role is None:
            raise UsageError(f"--columns 里的“{pair.strip()}”看不懂：写成 标题=活动内容,地点=场所 这样，"
                             "等号左边是 " + "、".join(r.label for r in ROLES) + " 之一，右边是表头里的列名")
        chosen[role.key] = header_key(header)
    return chosen


@dataclass(frozen=True)
class Header:
    row: int                      # 1-based
    columns: Mapping[str, int]    # role key → 1-based column
    labels: Mapping[int, str]     # column → its header as written
    ignored: tuple[str, ...]      # headers of the columns nothing reads

    def label(self, role: str) -> str:
        return self.labels.get(self.columns.get(role, 0), next(r.label for r in ROLES if r.key == role))


def find_header(table: Table, chosen: Mapping[str, str]) -> Header | CellError | None:
    """The header row of ``table`` with its columns; an error when a --columns header is not
    in it; None when no row in the first HEADER_ROWS looks like one."""
    for index, row in enumerate(table.rows[:HEADER_ROWS]):
        columns = _columns(row, chosen)
        if "title" in columns and ({"date", "time"} & columns.keys()):
            keys = {header_key(cell) for cell in row}
            missing = [role for role, header in chosen.items() if header not in keys]
            if missing:
                return _missing(table, index + 1, row, chosen, missing[0])
            labels = {j + 1: str(cell).strip() for j, cell in enumerate(row) if str(cell).strip()}
            used = set(columns.values())
            ignored = tuple(text for j, text in labels.items() if j not in used and text not in _NUMBERING)
            return Header(index + 1, columns, labels, ignored)
    return None


def _columns(row: list[object], chosen: Mapping[str, str]) -> dict[str, int]:
    keys = [header_key(cell) for cell in row]
    columns = {role: keys.index(header) + 1 for role, header in chosen.items() if header in keys}
    taken = set(columns.values())
    for role in ROLES:
        if role.key in columns:
            continue
        found = next((j + 1 for header in role.headers for j, key in enumerate(keys)
                      if key == header and j + 1 not in taken), None)
        if found is not None:
            columns[role.key] = found
            taken.add(found)
    return columns


def _missing(table: Table, row: int, cells: list[object], chosen: Mapping[str, str], role: str) -> CellError:
    label = next(r.label for r in ROLES if r.key == role)
    headers = "、".join(str(cell).strip() for cell in cells if str(cell).strip())
    return table.error(row, 0, "column-unknown",
                       f"--columns 里的 {label}={chosen[role]}：表头里没有“{chosen[role]}”这一列（表头有：{headers}）")
