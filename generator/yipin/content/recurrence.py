"""What an activity's ``repeat`` means, and the dates it gives.

``repeat`` is either an RFC 5545 RRULE (``FREQ=WEEKLY;BYDAY=FR``) or one of a small set of
Chinese phrases. The phrases are read by a tokenizer and a recursive-descent parser over
this grammar (keywords in quotes; ``number`` is 15 or 十五)::

    phrase   = "每" ( daily | weekly | "月" monthday | "年" yearly )
             | "每逢" ( "双" | "单" ) "月" monthday
    daily    = "天" | "日"
    weekly   = [ number ] week weekday              每周五, 每两周六
    week     = "周" | "星期" | "礼拜"
    weekday  = number (1-6) | "日" | "天"
    monthday = number ( "日" | "号" )               每月15日
             | "第" number "个" week weekday        每月第一个周六
             | "最后一个" week weekday              每月最后一个周日
    yearly   = number "月" number ( "日" | "号" )   每年3月5日
             | festival                             每年中秋节

Everything expressible as an RRULE becomes one and is expanded by python-dateutil. Lunar
festivals and solar terms cannot be (calendar apps do not implement RFC 7529's RSCALE):
their dates come from lunar-python, year by year. The accepted forms are listed once, in
ACCEPTED_FORMS and FESTIVALS: the error message and the editor guide both read them.

Where a series stops is said once, by series_end: the activity's ``count`` or ``until``, or
the COUNT or UNTIL of its RRULE. Every search for starts ends with a year (``through``): a
rule that matches no day would otherwise keep python-dateutil busy until the year 9999.
"""

from __future__ import annotations

import datetime as datetime_module
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache
from itertools import islice, takewhile
from types import FunctionType, SimpleNamespace
from zoneinfo import ZoneInfo

from dateutil import rrule as dateutil_rrule
from dateutil.rrule import rrulestr

from yipin.content.models import MAX_COUNT, Activity, DateOrDateTime

__all__ = [
    "ACCEPTED_FORMS", "DEFAULT_TZ", "FESTIVALS", "FIRST_YEAR", "HORIZON_YEARS", "LAST_YEAR", "MAX_COUNT",
    "Festival", "Recurrence", "RepeatError", "SeriesEnd", "parse_repeat", "accepted_forms_text",
    "activity_starts", "date_problems", "horizon", "is_excepted", "never_message", "series_end", "weekday_name",
]

# The lunar calendar library is verified over these years (shared/FINDINGS.md); a repeating
# activity starts and ends within them.
FIRST_YEAR, LAST_YEAR = 1901, 2099
DEFAULT_TZ = "Asia/Shanghai"
# How many years after its start year a series' first start is searched for: a leap day's
# rule (每年2月29日) waits up to four.
HORIZON_YEARS = 4
_END_OF_DAY = time(23, 59, 59)


class RepeatError(ValueError):
    """``repeat`` is not a form we accept; the message is the Chinese sentence staff see."""


@dataclass(frozen=True)
class Festival:
    name: str
    kind: str          # "solar" (fixed Gregorian date) | "term" (solar term) | "lunar"
    month: int = 0     # Gregorian month and day for "solar", lunar month and day for "lunar"
    day: int = 0

    @property
    def rule(self) -> str | None:
        """The RRULE of a fixed Gregorian date; None when only a list of dates can express it."""
        return f"FREQ=YEARLY;BYMONTH={self.month};BYMONTHDAY={self.day}" if self.kind == "solar" else None

    def date_in(self, year: int) -> date:
        """The festival of lunar year ``year`` (腊八 and 小年 fall in January of year + 1),
        or of solar year ``year`` for a fixed date or a solar term."""
        if self.kind == "solar":
            return date(year, self.month, self.day)
        return _solar_term(self.name, year) if self.kind == "term" else _lunar_date(year, self.month, self.day)

    def dates(self, from_year: int, through: int) -> Iterator[date]:
        for year in range(max(from_year, FIRST_YEAR), min(through, LAST_YEAR) + 1):
            yield self.date_in(year)

    @property
    def label(self) -> str:
        if self.kind == "solar":
            return f"公历 {self.month}月{self.day}日"
        if self.kind == "term":
            return "二十四节气"
        return f"农历 {_LUNAR_MONTHS[self.month]}月{_lunar_day(self.day)}"


_LUNAR_MONTHS = {1: "正", 2: "二", 5: "五", 7: "七", 8: "八", 9: "九", 12: "腊"}


def _lunar_day(day: int) -> str:
    names = "初一 初二 初三 初四 初五 初六 初七 初八 初九 初十".split()
    return names[day - 1] if day <= 10 else ("十五" if day == 15 else "廿三" if day == 23 else str(day))


FESTIVALS: dict[str, Festival] = {f.name: f for f in (
    Festival("元旦", "solar", 1, 1), Festival("妇女节", "solar", 3, 8), Festival("植树节", "solar", 3, 12),
    Festival("劳动节", "solar", 5, 1), Festival("青年节", "solar", 5, 4), Festival("儿童节", "solar", 6, 1),
    Festival("建党节", "solar", 7, 1), Festival("建军节", "solar", 8, 1), Festival("教师节", "solar", 9, 10),
    Festival("国庆节", "solar", 10, 1),
    Festival("清明", "term"), Festival("冬至", "term"),
    Festival("春节", "lunar", 1, 1), Festival("元宵节", "lunar", 1, 15), Festival("龙抬头", "lunar", 2, 2),
    Festival("端午节", "lunar", 5, 5), Festival("七夕", "lunar", 7, 7), Festival("中元节", "lunar", 7, 15),
    Festival("中秋节", "lunar", 8, 15), Festival("重阳节", "lunar", 9, 9), Festival("腊八节", "lunar", 12, 8),
    Festival("小年", "lunar", 12, 23),
)}
# The same festival as people also write it.
_ALIASES = {"国庆": "国庆节", "元宵": "元宵节", "端午": "端午节", "七夕节": "七夕", "中元": "中元节", "中秋": "中秋节",
            "重阳": "重阳节", "腊八": "腊八节", "清明节": "清明"}

# (example, meaning): the forms the error message and the editor guide list.
ACCEPTED_FORMS: tuple[tuple[str, str], ...] = (
    ("每天", "每天一次（也可写 每日）"),
    ("每周五", "每周的这一天；周一到周六，周日也可写 周天，“周”也可写 星期"),
    ("每两周六", "隔一周一次，从开始日期那一周算起；也可写 每三周一 等"),
    ("每月15日", "每月的这一天（也可写 15号）；没有这一天的月份跳过，如 每月31日 不含2月"),
    ("每月第一个周六", "每月第几个星期几：第一个 到 第五个；没有第五个的月份跳过"),
    ("每月最后一个周日", "每月最后一个星期几"),
    ("每逢双月1日", "2、4、6、8、10、12月；后面也可写 第一个周六 这样的写法"),
    ("每逢单月1日", "1、3、5、7、9、11月"),
    ("每年3月5日", "每年的这一天"),
    ("每年中秋节", "每年 加一个节日名称，节日见下表；农历节日和节气的日期每年由农历计算"),
)
_RRULE_EXAMPLE = "FREQ=WEEKLY;BYDAY=FR"


def accepted_forms_text() -> str:
    festivals = "、".join(FESTIVALS)
    forms = "、".join(example for example, _ in ACCEPTED_FORMS[:-1])
    return f"可以写 {forms}、每年+节日（{festivals}），或 RFC 5545 的 RRULE，如 {_RRULE_EXAMPLE}"


@dataclass(frozen=True)
class SeriesEnd:
    """Where a series stops: after ``count`` starts, or at ``until``, or (neither) never.
    ``until`` is an RFC 5545 UNTIL: a day (inclusive), a wall-clock time, or a UTC time (aware)."""

    count: int | None = None
    until: date | datetime | None = None

    def last_start(self, tz: ZoneInfo) -> datetime | None:
        """The latest wall-clock start ``until`` allows, in the activity's time zone ``tz``."""
        until = self.until
        if not isinstance(until, datetime):
            return None if until is None else datetime.combine(until, _END_OF_DAY)
        return until.astimezone(tz).replace(tzinfo=None) if until.tzinfo else until


@dataclass(frozen=True)
class Recurrence:
    """A parsed ``repeat``: an RRULE (``rule``, without COUNT and UNTIL: those are ``end``)
    or a festival whose dates need the lunar calendar."""

    text: str
    rule: str | None = None
    festival: Festival | None = None
    end: SeriesEnd = SeriesEnd()

    def starts(self, first: datetime, through: int) -> Iterator[datetime]:
        """Every start from ``first`` to the end of the year ``through`` (``first`` itself only
        when it matches), in order. Wall-clock datetimes: the activity's time zone is the caller's."""
        if self.rule is not None:
            yield from _rule_starts(self.rule, first, through)
            return
        assert self.festival is not None
        # Lunar year Y's 腊八 falls in January of Y + 1: start a year early, drop what is before ``first``.
        days = (datetime.combine(day, first.time()) for day in self.festival.dates(first.year - 1, through))
        yield from (start for start in days if start >= first)


@lru_cache(maxsize=1024)
def parse_repeat(text: str) -> Recurrence:
    """``repeat`` as written → Recurrence, or RepeatError with the Chinese explanation.
    Cached: `yipin check` and the calendar both parse every activity's repeat, and a few
    phrases (每周五, 每月15日) serve thousands of activities."""
    written = text.strip()
    _check_one_line(written)
    if "FREQ=" in written.upper().replace(" ", ""):
        rule, end = _parse_rrule(written)
        return Recurrence(written, rule=rule, end=end)
    source = "".join(unicodedata.normalize("NFKC", written).split())
    return _Parser(source, written).phrase()


def series_end(activity: Activity, recurrence: Recurrence | None) -> SeriesEnd:
    """The one answer to where an activity's series stops, for the expansion, `yipin check`,
    the schedule text and the iCalendar RRULE: its own ``count`` or ``until``, else the COUNT
    or UNTIL of its RRULE (date_problems makes sure the two never disagree)."""
    own = _own_end(activity)
    return own if own.count or own.until or recurrence is None else recurrence.end


def _own_end(activity: Activity) -> SeriesEnd:
    """The end the activity's ``count`` and ``until`` fields give."""
    until: DateOrDateTime | None = activity.until
    return SeriesEnd(activity.count, None if until is None else until.value.date() if until.all_day else until.value)


def horizon(activity: Activity) -> int:
    """The last year in which `yipin check` looks for the first start of a series."""
    return min(activity.start.value.year + HORIZON_YEARS, datetime_module.MAXYEAR)


def activity_starts(activity: Activity, recurrence: Recurrence | None, tz: ZoneInfo, through: int) -> Iterator[datetime]:
    """Every start of an activity to the end of the year ``through``, in wall-clock time (its
    own time zone ``tz``), ``except`` not yet removed: RFC 5545 applies COUNT before EXDATE,
    and so do we."""
    first = activity.start.value
    if recurrence is None:
        yield first
        return
    end = series_end(activity, recurrence)
    last = end.last_start(tz)
    starts = recurrence.starts(first, through if last is None else min(through, last.year))
    yield from islice(takewhile(lambda start: last is None or start <= last, starts), end.count)


def is_excepted(start: datetime, activity: Activity) -> bool:
    return any((start.date() == skip.value.date()) if skip.all_day else start == skip.value for skip in activity.except_)


def date_problems(activity: Activity, recurrence: Recurrence, tz: ZoneInfo) -> Iterator[tuple[str, str, str]]:
    """(field, error code, message) for each way the dates of a repeating activity contradict
    each other: the activity's count and until against the RRULE's COUNT and UNTIL, the end
    before the start, years the calendar does not cover."""
    start = activity.start
    if not FIRST_YEAR <= start.value.year <= LAST_YEAR:
        yield "start", "date-range", f"重复活动的开始时间要在 {FIRST_YEAR} 年到 {LAST_YEAR} 年之间：日历只算到这些年份"
        return
    yield from _end_conflicts(activity, recurrence.end, tz)
    end = series_end(activity, recurrence)
    last = end.last_start(tz)
    where = "until" if activity.until else "repeat"
    shown = f"重复截止 {activity.until}" if activity.until else f"repeat 里的 UNTIL={_until_text(end.until)}"
    if last is not None and last.date() < start.value.date():
        yield where, "date-order", f"{shown} 早于开始时间 {start}"
    elif last is not None and last.year > LAST_YEAR:
        yield where, "date-range", f"{shown} 晚于 {LAST_YEAR} 年：日历只算到这一年，不写截止就是一直重复"


def _end_conflicts(activity: Activity, rule: SeriesEnd, tz: ZoneInfo) -> Iterator[tuple[str, str, str]]:
    """The RRULE says how it ends and so do count or until: the same end twice is fine, two are not."""
    own = _own_end(activity)
    if own.count and rule.count and own.count != rule.count:
        yield "count", "activity-repeat", (f"count: {own.count} 与 repeat 里的 COUNT={rule.count} 不一致："
                                          "次数只写一处，写在 count 或 RRULE 里都可以")
    if own.until and rule.until and own.last_start(tz) != rule.last_start(tz):
        yield "until", "activity-repeat", (f"until: {activity.until} 与 repeat 里的 UNTIL={_until_text(rule.until)} "
                                          "不一致：截止只写一处，写在 until 或 RRULE 里都可以")
    if own.count and rule.until:
        yield "count", "activity-repeat", f"repeat 里写了 UNTIL={_until_text(rule.until)}：截止和次数 count 只能写一个"
    if own.until and rule.count:
        yield "until", "activity-repeat", f"repeat 里写了 COUNT={rule.count}：截止 until 和次数只能写一个"


def never_message(activity: Activity, recurrence: Recurrence, tz: ZoneInfo) -> str | None:
    """Why the series has no start left once ``except`` is removed, or None when it has one.
    The search stops at the horizon, so it costs about a millisecond even for a rule that
    never matches."""
    through = horizon(activity)
    seen = 0
    for start in activity_starts(activity, recurrence, tz, through):
        if not is_excepted(start, activity):
            return None
        seen += 1
    end = series_end(activity, recurrence)
    last = end.last_start(tz)
    intro = f"按“{recurrence.text}”从 {activity.start} 起"
    if seen == end.count or (last is not None and last.year <= through):
        return f"{intro}，除去跳过的日期，一次活动也没有：请检查开始日期、until、count 和 except"
    return (f"{intro}到 {through} 年底（开始后 {HORIZON_YEARS} 年内），除去跳过的日期，一次活动也没有："
            "请检查重复方式、开始日期和 except")


def weekday_name(day: date) -> str:
    return "周" + "一二三四五六日"[day.weekday()]


# ---- the phrase tokenizer and parser

@dataclass(frozen=True)
class _Token:
    kind: str     # "word" (a keyword), "number", or "other" (a character no rule uses)
    text: str
    start: int
    value: int = 0


_KEYWORDS = ("最后一个", "每逢", "星期", "礼拜", "每", "第", "个", "周", "天", "日", "号", "月", "年", "双", "单")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERALS = set(_DIGITS) | {"十"}
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(source):
        keyword = next((k for k in _KEYWORDS if source.startswith(k, i)), None)
        if keyword:
            tokens.append(_Token("word", keyword, i))
            i += len(keyword)
            continue
        run = _run(source, i, str.isdigit) or _run(source, i, _NUMERALS.__contains__)
        if run:
            value = int(run) if run.isdigit() else _numeral(run)
            tokens.append(_Token("number", run, i, value) if value is not None else _Token("other", run, i))
            i += len(run)
            continue
        tokens.append(_Token("other", source[i], i))
        i += 1
    return tokens


def _run(source: str, i: int, accept: object) -> str:
    end = i
    while end < len(source) and accept(source[end]):  # type: ignore[operator]
        end += 1
    return source[i:end]


def _numeral(text: str) -> int | None:
    """一 … 九, 两, 十, 十五, 二十, 三十一; None for anything else (一三五 is not a number)."""
    if "十" not in text:
        return _DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or (tens and tens not in _DIGITS) or (ones and ones not in _DIGITS):
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)


class _Parser:
    """One method per grammar rule; each consumes tokens and returns RRULE parts or a Recurrence."""

    def __init__(self, source: str, written: str) -> None:
        self.source, self.written = source, written
        self.tokens = _tokenize(source)
        self.pos = 0

    # -- helpers

    def fail(self, detail: str | None = None) -> RepeatError:
        if detail:
            return RepeatError(f"重复方式“{self.written}”{detail}")
        return RepeatError(f"不认识重复方式“{self.written}”：{accepted_forms_text()}")

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def accept(self, *words: str) -> str | None:
        token = self.peek()
        if token and token.kind == "word" and token.text in words:
            self.pos += 1
            return token.text
        return None

    def expect(self, *words: str) -> str:
        word = self.accept(*words)
        if word is None:
            raise self.fail()
        return word

    def number(self) -> int | None:
        token = self.peek()
        if token and token.kind == "number":
            self.pos += 1
            return token.value
        return None

    def end(self) -> None:
        if self.peek() is not None:
            raise self.fail()

    # -- grammar rules

    def phrase(self) -> Recurrence:
        if self.accept("每逢"):
            parity = self.expect("双", "单")
            self.expect("月")
            months = ",".join(str(m) for m in range(2 if parity == "双" else 1, 13, 2))
            rule = f"FREQ=MONTHLY;BYMONTH={months};{self.monthday()}"
        else:
            self.expect("每")
            if self.accept("月"):
                rule = "FREQ=MONTHLY;" + self.monthday()
            elif self.accept("年"):
                return self.yearly()
            elif self.accept("天", "日"):
                rule = "FREQ=DAILY"
            else:
                rule = self.weekly()
        self.end()
        return Recurrence(self.written, rule=rule)

    def weekly(self) -> str:
        interval = self.number()
        if interval is not None and interval < 1:
            raise self.fail("里的间隔不对：写 每周五，或 每两周六、每三周一 这样的写法")
        self.expect("周", "星期", "礼拜")
        day = self.weekday()
        return f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={day}" if interval and interval > 1 else f"FREQ=WEEKLY;BYDAY={day}"

    def weekday(self) -> str:
        if self.accept("日", "天"):
            return "SU"
        number = self.number()
        if number is None:
            raise self.fail()
        if not 1 <= number <= 6:
            raise self.fail("里的星期几不对：只能写 一 到 六、日 或 天")
        return _WEEKDAYS[number - 1]

    def monthday(self) -> str:
        if self.accept("最后一个"):
            self.expect("周", "星期", "礼拜")
            return f"BYDAY=-1{self.weekday()}"
        if self.accept("第"):
            nth = self.number()
            if nth is None:
                raise self.fail()
            if not 1 <= nth <= 5:
                raise self.fail("里的第几个不对：只能写 第一个 到 第五个，或 最后一个")
            self.expect("个")
            self.expect("周", "星期", "礼拜")
            return f"BYDAY={nth}{self.weekday()}"
        day = self.number()
        if day is None:
            raise self.fail()
        self.expect("日", "号")
        if not 1 <= day <= 31:
            raise self.fail(f"里的日子不对：每月只有 1 日到 31 日，没有 {day} 日")
        return f"BYMONTHDAY={day}"

    def yearly(self) -> Recurrence:
        token = self.peek()
        if token is None:
            raise self.fail()
        if token.kind != "number":
            name = self.source[token.start:]
            festival = FESTIVALS.get(_ALIASES.get(name, name))
            if festival is None:
                raise self.fail(f"里的节日“{name}”不在支持的节日里：每年后面可以写 {'、'.join(FESTIVALS)}")
            return Recurrence(self.written, rule=festival.rule, festival=None if festival.rule else festival)
        month = self.number()
        self.expect("月")
        day = self.number()
        if day is None:
            raise self.fail()
        self.expect("日", "号")
        self.end()
        try:
            date(2000, month or 0, day)  # a leap year: 2月29日 is a date (it recurs in leap years)
        except ValueError:
            raise self.fail(f"里的日期不存在：没有 {month}月{day}日") from None
        return Recurrence(self.written, rule=f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}")


# ---- RRULE

_RRULE_PARTS = ("FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST")
_FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _parse_rrule(written: str) -> tuple[str, SeriesEnd]:
    """An RRULE as staff wrote it → its canonical form without COUNT and UNTIL, and the end
    those give. Each part is checked against RFC 5545 here, so the message names the part
    that is wrong (python-dateutil accepts BYMONTH=13 or INTERVAL=0 silently);
    python-dateutil's parser then judges the whole rule."""
    parts = _rrule_parts(written)
    end = _rule_end(written, parts.pop("COUNT", None), parts.pop("UNTIL", None))
    freq = parts.get("FREQ")
    if freq not in _FREQS:
        raise RepeatError(f"RRULE“{written}”的 FREQ 只能是 {'、'.join(_FREQS)}")
    # A numbered weekday (1MO) counts within a month for MONTHLY, or for YEARLY with BYMONTH.
    period = "MONTHLY" if freq == "MONTHLY" or (freq == "YEARLY" and "BYMONTH" in parts) else freq
    for key, value in parts.items():
        if key != "FREQ" and not all(_valid_item(key, item, period) for item in value.split(",")):
            raise RepeatError(f"RRULE“{written}”里的 {key}={value} 写得不对")
    _check_combination(written, parts)
    rule = ";".join(f"{key}={parts[key]}" for key in _RRULE_PARTS if key in parts)
    try:
        rrulestr(rule, dtstart=datetime(2000, 1, 1))
    except (ValueError, IndexError):
        raise RepeatError(f"RRULE“{written}”写得不对：请对照 RFC 5545 检查，如 {_RRULE_EXAMPLE}") from None
    if not _possible(parts):
        raise RepeatError(f"RRULE“{written}”永远不会发生：所写的月份里没有这一天")
    if parts["FREQ"] == "WEEKLY" and "BYSETPOS" in parts and not _week_has_position(parts):
        raise RepeatError(f"RRULE“{written}”永远不会发生：每周最多 {_days_a_week(parts)} 次，"
                          f"BYSETPOS={parts['BYSETPOS']} 选不到")
    return rule, end


def _check_one_line(written: str) -> None:
    """``repeat`` is one line. A calendar export pasted whole (DTSTART, RRULE, EXDATE lines)
    is told which line to keep; any other line break or control character is refused."""
    if not any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in written):
        return
    lines = [line.strip() for line in written.splitlines()]
    rule = next((line[len("RRULE:"):] for line in lines if line.upper().startswith("RRULE:")), None)
    if rule and rule.isprintable():
        raise RepeatError(f"repeat 只写 RRULE 那一行，即 {rule}：开始时间写在 start（不写 DTSTART），"
                          "不举办的日期写在 except（不写 EXDATE）")
    raise RepeatError(f"repeat 只能写一行，不能有换行或控制字符：如 每周五，或 {_RRULE_EXAMPLE}")


def _rrule_parts(written: str) -> dict[str, str]:
    body = written.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:"):]
    parts: dict[str, str] = {}
    for item in filter(None, (p.strip() for p in body.split(";"))):
        key, equals, value = (s.strip().upper() for s in item.partition("="))
        if not equals or not value or not key:
            raise RepeatError(f"RRULE“{written}”写得不对：每一项写成 名称=值，用英文分号隔开，如 {_RRULE_EXAMPLE}")
        if key in parts:
            raise RepeatError(f"RRULE“{written}”里 {key} 写了两次")
        _check_rrule_key(written, key)
        parts[key] = value
    return parts


def _rule_end(written: str, count: str | None, until: str | None) -> SeriesEnd:
    if count and until:
        raise RepeatError(f"RRULE“{written}”里 COUNT 和 UNTIL 只能写一个（RFC 5545 的规定）")
    if count and not _integer_in(count, 1, MAX_COUNT, False):
        raise RepeatError(f"RRULE“{written}”里的 COUNT={count} 写得不对：次数是 1 到 {MAX_COUNT} 之间的整数")
    return SeriesEnd(int(count) if count else None, _parse_until(written, until) if until else None)


_UNTIL = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})(?:T([0-9]{2})([0-9]{2})([0-9]{2})(Z?))?")


def _parse_until(written: str, text: str) -> date | datetime:
    """UNTIL as RFC 5545 writes it: 20261231 (that day), 20261231T160000Z (UTC) or
    20261231T160000 (the activity's own clock)."""
    match = _UNTIL.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        year, month, day, hour, minute, second, utc = match.groups()
        if hour is None:
            until: date = date(int(year), int(month), int(day))
        else:
            until = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                             tzinfo=UTC if utc else None)
    except ValueError:
        raise RepeatError(f"RRULE“{written}”里的 UNTIL={text} 写得不对：写成 20261231（到这一天为止）、"
                          "20261231T160000Z（UTC 时间）或 20261231T160000（当地时间）") from None
    if not FIRST_YEAR <= until.year <= LAST_YEAR:
        raise RepeatError(f"RRULE“{written}”里的 UNTIL={text} 不在 {FIRST_YEAR} 年到 {LAST_YEAR} 年之间：日历只算到这些年份")
    return until


def _until_text(until: date | datetime | None) -> str:
    """An UNTIL as the RRULE wrote it (for messages)."""
    if not isinstance(until, datetime):
        return "" if until is None else until.strftime("%Y%m%d")
    return until.strftime("%Y%m%dT%H%M%S") + ("Z" if until.tzinfo else "")


# name → (smallest, largest, may be negative), RFC 5545 section 3.3.10
_RANGES = {"INTERVAL": (1, 999, False), "BYMONTH": (1, 12, False), "BYMONTHDAY": (1, 31, True),
           "BYYEARDAY": (1, 366, True), "BYWEEKNO": (1, 53, True), "BYSETPOS": (1, 366, True)}


def _valid_item(key: str, item: str, period: str) -> bool:
    """``period``: FREQ, or MONTHLY where a numbered weekday counts within a month."""
    if key in _RANGES:
        return _integer_in(item, *_RANGES[key])
    day, ordinal = item[-2:], item[:-2]
    if day not in _WEEKDAYS:
        return False
    # "1SA" (first Saturday) only means something within a month or a year.
    return not ordinal or (key == "BYDAY" and period in ("MONTHLY", "YEARLY")
                           and _integer_in(ordinal, 1, 5 if period == "MONTHLY" else 53, True))


def _integer_in(text: str, low: int, high: int, signed: bool) -> bool:
    digits = text[1:] if text[:1] in "+-" else text
    # ASCII only: str.isdigit also takes "²" (which int() refuses) and "١" (which a calendar app would).
    if not (digits.isascii() and digits.isdigit()) or (text.startswith("-") and not signed):
        return False
    return low <= int(digits) <= high


def _check_rrule_key(written: str, key: str) -> None:
    if key in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        raise RepeatError(f"RRULE“{written}”里不要写 {key}：活动的钟点写在 start 里")
    if key not in (*_RRULE_PARTS, "COUNT", "UNTIL"):
        raise RepeatError(f"RRULE“{written}”里没有 {key} 这一项：可以写 {'、'.join(_RRULE_PARTS)}、COUNT、UNTIL")


# FREQ → the parts it may not have, and why: RFC 5545 section 3.3.10 for BYWEEKNO, BYYEARDAY
# and BYMONTHDAY; BYSETPOS picks among the starts of one day, and a day has only one.
_NOT_WITH = {
    "DAILY": {"BYWEEKNO": "只有 FREQ=YEARLY 能按第几周", "BYYEARDAY": "只有 FREQ=YEARLY 能按一年的第几天",
              "BYSETPOS": "每天只有一次，没有第几次可选"},
    "WEEKLY": {"BYWEEKNO": "只有 FREQ=YEARLY 能按第几周", "BYYEARDAY": "只有 FREQ=YEARLY 能按一年的第几天",
               "BYMONTHDAY": "每周的活动用 BYDAY 写星期几"},
    "MONTHLY": {"BYWEEKNO": "只有 FREQ=YEARLY 能按第几周", "BYYEARDAY": "只有 FREQ=YEARLY 能按一年的第几天"},
}


def _check_combination(written: str, parts: dict[str, str]) -> None:
    for key, reason in _NOT_WITH.get(parts["FREQ"], {}).items():
        if key in parts:
            raise RepeatError(f"RRULE“{written}”里 {key} 不能和 FREQ={parts['FREQ']} 一起用：{reason}")
    if "BYSETPOS" in parts and not {"BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH"} & parts.keys():
        raise RepeatError(f"RRULE“{written}”里的 BYSETPOS 要和 BYDAY 等一起用：它从这些日子里选第几个")
    if "BYWEEKNO" in parts and any(len(item) > 2 for item in parts.get("BYDAY", "").split(",")):
        raise RepeatError(f"RRULE“{written}”里写了 BYWEEKNO，BYDAY 就不能带序号（RFC 5545 的规定）：写 MO，不写 1MO")


def _possible(parts: dict[str, str]) -> bool:
    """False for a rule such as BYMONTH=2;BYMONTHDAY=30, which matches no day at all."""
    if "BYMONTHDAY" not in parts:
        return True
    days = [int(d) for d in parts["BYMONTHDAY"].split(",")]
    months = [int(m) for m in parts["BYMONTH"].split(",")] if "BYMONTH" in parts else list(range(1, 13))
    return any(abs(day) <= _MONTH_DAYS[month - 1] for day in days for month in months)


def _week_has_position(parts: dict[str, str]) -> bool:
    """False for FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2: no week has a second start."""
    return any(abs(int(position)) <= _days_a_week(parts) for position in parts["BYSETPOS"].split(","))


def _days_a_week(parts: dict[str, str]) -> int:
    """The most starts a weekly rule has in one week: one per weekday named, or the start's own."""
    return len(set(parts["BYDAY"].split(","))) if "BYDAY" in parts else 1


def _rule_starts(rule: str, first: datetime, through: int) -> Iterator[datetime]:
    """The starts of an RRULE from ``first`` to the end of the year ``through``."""
    if through < first.year:
        return iter(())
    search, step = _search_form(rule)
    starts = _iteration_through(through)(rrulestr(search, dtstart=first))
    return starts if step == 1 else (start for start in starts if (start - first).days % step == 0)


@lru_cache(maxsize=1024)
def _search_form(rule: str) -> tuple[str, int]:
    """The rule python-dateutil searches, and every how many days its matches count. A daily
    rule with day filters matches the days YEARLY with the same filters does, every INTERVAL
    days from the start: dateutil then steps a year at a time instead of a day, ten times
    faster on a rule that rarely or never matches (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO)."""
    parts = dict(part.split("=") for part in rule.split(";"))
    if parts["FREQ"] != "DAILY" or not {"BYMONTHDAY", "BYDAY"} & parts.keys():
        return rule, 1
    step = int(parts.pop("INTERVAL", "1"))
    return ";".join(f"{key}={value}" for key, value in {**parts, "FREQ": "YEARLY"}.items()), step


@lru_cache(maxsize=256)
def _iteration_through(year: int) -> Callable[[dateutil_rrule.rrule], Iterator[datetime]]:
    """python-dateutil's own rrule iteration, ending after the year ``year`` instead of
    datetime.MAXYEAR. dateutil compares UNTIL only with days that match, so a rule that
    matches none (BYSETPOS=6 of a month's Mondays) searches until the year 9999, seconds per
    rule (dateutil issues 1094 and 1393). The same code, reading a ``datetime`` module whose
    MAXYEAR is ``year``, stops there; nothing global is changed."""
    iterate = dateutil_rrule.rrule._iter  # type: ignore[attr-defined]
    clock = SimpleNamespace(**{**vars(datetime_module), "MAXYEAR": year})
    names = {**vars(dateutil_rrule), "datetime": clock}
    return FunctionType(iterate.__code__, names, iterate.__name__, iterate.__defaults__, iterate.__closure__)


# ---- the lunar calendar

@lru_cache(maxsize=4096)
def _lunar_date(year: int, month: int, day: int) -> date:
    from lunar_python import Lunar

    solar = Lunar.fromYmd(year, month, day).getSolar()  # a non-leap month: festivals never fall in a leap month
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


@lru_cache(maxsize=1024)
def _solar_term(name: str, year: int) -> date:
    """A solar term of Gregorian year ``year``: lunar-python tabulates the terms of a lunar
    year, which starts around February, so 冬至 of ``year`` sits in the table of ``year + 1``."""
    from lunar_python import Lunar

    for lunar_year in (year, year + 1):
        solar = Lunar.fromYmd(lunar_year, 1, 1).getJieQiTable().get(name)
        if solar is not None and solar.getYear() == year:
            return date(solar.getYear(), solar.getMonth(), solar.getDay())
    raise LookupError(f"no {name} in {year}")  # pragma: no cover - every year has every term
