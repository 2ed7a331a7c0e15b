"""Dates and times as activity sheets hold them: Excel's own date and time cells, and the
text staff type (2026年3月5日, 3月5日, 2026/3/5, 2026-03-05; 上午9点, 下午3点半, 14:30,
9:00-11:00). A cell gives a day, a start time and an end time, each where it has one.

A day without a year (3月5日) takes the year the sheet states in its title ("2026年3月活动
安排"); what cannot be read raises CellProblem with the Chinese sentence staff see.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from yipin.content.models import FIRST_YEAR, LAST_YEAR

__all__ = ["CellProblem", "When", "read_when", "year_in", "EXCEL_EPOCH"]

EXCEL_EPOCH = datetime(1899, 12, 30)   # day 0 of Excel's serial dates (1900 system, as WPS writes them)
_SERIALS = range(20_000, 80_000)        # 1954 to 2119: a bare number in a date column is a serial here


class CellProblem(ValueError):
    """A cell that cannot be read; ``message`` is what staff see."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class When:
    """What one cell says of an activity's time."""

    day: date | None = None
    start: time | None = None
    end: time | None = None


DATE_FORMS = "2026年3月5日、3月5日、2026/3/5 或 2026-03-05"
TIME_FORMS = "上午9点、下午3点半、14:30 或 9:00-11:00"

_WEEKDAY = re.compile(r"[(（]?\s*(?:周|星期|礼拜)[一二三四五六日天]\s*[)）]?")
_FULL_DATE = re.compile(r"^(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*[日号]?")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_RANGE = re.compile(r"\s*(?:-|~|—+|–|至|到)\s*")
_CLOCK = re.compile(
    r"^(?P<period>凌晨|清晨|早上|早晨|上午|中午|午间|下午|傍晚|晚上|夜间|夜里|晚)?\s*(?P<hour>\d{1,2})\s*"
    r"(?:[:：]\s*(?P<minute>\d{2})|[点时]\s*(?:(?P<half>半)|(?P<quarter>一刻|三刻)|(?P<minutes>\d{1,2})\s*分?|整)?)$"
)
_AFTERNOON = {"下午", "傍晚", "晚上", "夜间", "夜里", "晚"}
_ALL_DAY = {"全天", "全日", "整天", "一天"}


def year_in(*texts: str) -> int | None:
    """The first year written as 2026年 in the given texts (a sheet's title rows, its name,
    the file's name)."""
    for text in texts:
        found = _YEAR.search(unicodedata.normalize("NFKC", text))
        if found:
            return int(found[1])
    return None


def read_when(value: object, label: str, year: int | None, *, clock: bool = False) -> When:
    """A cell's day and times. ``label``: the column's header, named in messages; ``year``:
    the sheet's year, for a day written without one; ``clock``: the column is for times
    (its messages say how to write one). A day outside the years records hold is refused."""
    when = _when(value, label, year, clock)
    if when.day is not None and not FIRST_YEAR <= when.day.year <= LAST_YEAR:
        raise CellProblem("date-range", f"{label}“{_shown(value)}”不在 {FIRST_YEAR} 年到 {LAST_YEAR} 年之间：请检查年份")
    return when


def _shown(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else f"{value:g}" if isinstance(value, float) else str(value).strip()


def _when(value: object, label: str, year: int | None, clock: bool) -> When:
    if isinstance(value, datetime):
        moment = value.time().replace(second=0, microsecond=0)
        return When(value.date(), moment if moment != time(0) else None)   # a date cell at 0:00 is a day
    if isinstance(value, date):
        return When(value)
    if isinstance(value, time):
        return When(start=value.replace(second=0, microsecond=0))
    if isinstance(value, timedelta):   # a time of day some readers give as a duration since midnight
        return When(start=_clock_of(value.total_seconds() / 86_400, label))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number(float(value), label)
    return _text(str(value), label, year, clock)


def _number(value: float, label: str) -> When:
    """A bare number: a serial date (with a time as its fraction) or a time as a fraction of a day."""
    if 0 <= value < 1:
        return When(start=_clock_of(value, label))
    if int(value) in _SERIALS:
        moment = EXCEL_EPOCH + timedelta(days=round(value * 86_400) / 86_400)
        return _when(moment, label, None, False)
    raise CellProblem("date", f"{label}“{value:g}”看不懂：日期写成 {DATE_FORMS}")


def _clock_of(fraction: float, label: str) -> time:
    minutes = round(fraction * 24 * 60)
    if not 0 <= minutes < 24 * 60:
        raise CellProblem("time", f"{label}“{fraction:g}”看不懂：时间写成 {TIME_FORMS}")
    return time(*divmod(minutes, 60))


def _text(written: str, label: str, year: int | None, clock: bool) -> When:
    text = _WEEKDAY.sub(" ", unicodedata.normalize("NFKC", written)).strip()
    shown = written.strip()
    day, rest = _day(text, shown, label, year)
    rest = rest.strip(" ,，、")
    if rest in _ALL_DAY or not rest and day is not None:   # a day alone: an all-day activity
        return When(day)
    if not rest:
        raise CellProblem("date", f"{label}“{shown}”看不懂：日期写成 {DATE_FORMS}")
    start, end = _times(rest, shown, label, dated=day is not None or clock)
    return When(day, start, end)


def _day(text: str, shown: str, label: str, year: int | None) -> tuple[date | None, str]:
    """The day at the start of ``text`` and what follows it."""
    full = _FULL_DATE.match(text)
    short = None if full else _MONTH_DAY.match(text)
    if full:
        parts = int(full[1]), int(full[2]), int(full[3])
    elif short:
        if year is None:
            raise CellProblem("date-year", f"{label}“{shown}”没有写年份：在表格的标题里写上年份"
                                           "（如“2026年3月活动安排”），或写成 2026年3月5日")
        parts = year, int(short[1]), int(short[2])
    else:
        return None, text
    try:
        return date(*parts), text[(full or short).end():]
    except ValueError:
        raise CellProblem("date", f"{label}“{shown}”不存在") from None


def _times(text: str, shown: str, label: str, *, dated: bool) -> tuple[time, time | None]:
    """The start, and the end of a range (9:00-11:00, 下午2点-4点: the end takes the start's 下午)."""
    sides = _RANGE.split(text, maxsplit=1)
    first = _CLOCK.match(sides[0])
    second = _CLOCK.match(sides[1]) if len(sides) == 2 else None
    if first is None or (len(sides) == 2 and second is None):
        forms = f"时间写成 {TIME_FORMS}"
        raise CellProblem("time", f"{label}“{shown}”看不懂：" + (forms if dated or first is not None else f"日期写成 {DATE_FORMS}，{forms}"))
    start = _clock(first, None, shown, label)
    return start, (_clock(second, first["period"], shown, label) if second else None)


def _clock(match: re.Match[str], period: str | None, shown: str, label: str) -> time:
    hour = int(match["hour"])
    minute = int(match["minute"] or match["minutes"] or 0) + (30 if match["half"] else 0)
    minute += {"一刻": 15, "三刻": 45}.get(match["quarter"] or "", 0)
    period = match["period"] or period
    if period in _AFTERNOON and hour < 12 or period == "中午" and hour < 11:
        hour += 12
    if hour == 24 and minute == 0:   # 24:00, the end of a day that runs to midnight
        return time(23, 59)
    if hour > 23 or minute > 59:
        raise CellProblem("time", f"{label}“{shown}”不存在")
    return time(hour, minute)
