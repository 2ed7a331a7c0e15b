"""A sheet's rows as activities, written as YAML would write them (start: 2026-03-05 09:00),
each with the column every value came from, so that any later error names its cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from yipin.imports.columns import Header
from yipin.imports.dates import CellProblem, When, read_when
from yipin.imports.sheets import CellError, Table

__all__ = ["Draft", "drafts_of"]

_FEEDS = {"date": ("start", "end"), "time": ("start", "end"), "end": ("end",), "until": ("until",)}
_NO_REPEAT = {"无", "不重复", "否", "-", "—", "/", "一次", "单次"}


@dataclass
class Draft:
    """One row as an activity: ``data`` as the YAML record holds it, ``columns`` the column
    (1-based) each field came from or belongs to."""

    table: Table
    row: int
    data: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, int] = field(default_factory=dict)
    unread: set[str] = field(default_factory=set)   # fields whose cell could not be read (already an error)

    def error(self, field_name: str, code: str, message: str) -> CellError:
        return self.table.error(self.row, self.columns.get(field_name, 0), code, message)


def drafts_of(table: Table, header: Header, year: int | None) -> tuple[list[Draft], list[CellError]]:
    """Each filled row under the header (rows that repeat the header are skipped)."""
    drafts, errors = [], []
    used = sorted(set(header.columns.values()))
    for index in range(header.row, len(table.rows)):
        cells = table.rows[index]
        values = {role: _cell(cells, column) for role, column in header.columns.items()}
        if all(_text(_cell(cells, c)) in ("", header.labels.get(c)) for c in used):
            continue   # an empty row, or the header again
        draft = Draft(table, index + 1, columns=_home_columns(header))
        errors += _fill(draft, values, header, year)
        drafts.append(draft)
    return drafts, errors


def _home_columns(header: Header) -> dict[str, int]:
    """Where each field's error points when the field has no cell of its own."""
    columns = dict(header.columns)
    day = columns.get("date") or columns.get("time", 0)
    columns.update(start=day, end=columns.get("end") or columns.get("time") or day)
    return {key: column for key, column in columns.items() if column}


def _cell(cells: list[Any], column: int) -> Any:
    return cells[column - 1] if column <= len(cells) else ""


def _fill(draft: Draft, values: dict[str, Any], header: Header, year: int | None) -> list[CellError]:
    errors: list[CellError] = []

    def read(role: str) -> When:
        if _text(values.get(role, "")) == "":
            return When()
        try:
            return read_when(values[role], header.label(role), year, clock=role == "time")
        except CellProblem as problem:
            errors.append(draft.table.error(draft.row, header.columns[role], problem.code, problem.message))
            draft.unread.update(_FEEDS[role])
            return When()

    for name in ("title", "location", "description"):
        _put(draft, name, _text(values.get(name, "")), header.columns.get(name))
    on_date, at_time, until = read("date"), read("time"), read("until")
    day = on_date.day or at_time.day
    if day is not None:
        draft.data["start"] = _moment(day, on_date.start or at_time.start)
        if on_date.day is None:
            draft.columns["start"] = header.columns["time"]
    range_end, range_column = (on_date.end, "date") if on_date.end else (at_time.end, "time")
    if "end" in values and _text(values["end"]):
        _end(draft, read("end"), day, header.columns["end"])
    elif range_end and day is not None:
        _put(draft, "end", _moment(day, range_end), header.columns[range_column])
    _put(draft, "duration", _duration(values.get("duration", ""), header.label("duration")), header.columns.get("duration"))
    repeat = _text(values.get("repeat", ""))
    _put(draft, "repeat", "" if repeat in _NO_REPEAT else repeat, header.columns.get("repeat"))
    if until.day is not None:
        _put(draft, "until", _moment(until.day, until.start), header.columns["until"])
    _put(draft, "count", _count(values.get("count", "")), header.columns.get("count"))
    return errors


def _put(draft: Draft, name: str, value: Any, column: int | None) -> None:
    if value not in ("", None):
        draft.data[name] = value
        if column:
            draft.columns[name] = column


def _end(draft: Draft, when: When, day: date | None, column: int) -> None:
    """An end cell: a day, a day and a time, or a time on the start's day."""
    on = when.day or day
    if on is not None and (when.day or when.start):
        _put(draft, "end", _moment(on, when.start), column)


def _moment(day: date, at: time | None) -> str:
    """A day, or a day and a time, as the record writes it (DateOrDateTime)."""
    return day.isoformat() if at is None else f"{day.isoformat()} {at:%H:%M}"


def _duration(value: Any, label: str) -> str:
    """A duration cell: a time cell (2:00), a number of hours (or of minutes when its header
    says 分钟), or text the record's Duration reads (2小时, 90m)."""
    if isinstance(value, time):
        return f"{value.hour * 60 + value.minute}m"
    if isinstance(value, timedelta):
        return f"{round(value.total_seconds() / 60)}m"
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value.strip()):
        value = float(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{_number(value)}{'m' if '分' in label else 'h'}"
    return _text(value)


def _count(value: Any) -> Any:
    text = _text(value)
    found = re.fullmatch(r"(\d{1,6})\s*次?", text)
    return int(found[1]) if found else text


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _text(value: Any) -> str:
    """A cell as text: 12.0 as 12, a date as 2026-03-05, surrounding spaces dropped."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat(sep=" ", timespec="minutes") if isinstance(value, datetime) else value.isoformat()
    return "" if value is None else str(value).strip()
