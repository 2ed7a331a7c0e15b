"""Activity occurrences in the publishing window: the one expansion that the calendar pages,
the iCalendar feeds and /api/v1/activities.json all read, so they can never disagree.

The window runs from ``calendar_months_before`` months before a reference date to
``calendar_months_after`` months after it. The reference date is the newest content date
(``site.updated``), not the build clock, so the same content always builds the same site;
``calendar_today`` in the settings, or the environment variable YIPIN_TODAY, overrides it.
Readers' browsers decide what is still upcoming (themes/.../calendar.js); the reference date
only serves the no-JavaScript fallback.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property, partial
from itertools import chain, takewhile
from typing import Any, ClassVar
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from yipin.api.files import API_VERSION, PREFIX, api_json
from yipin.api.models import ActivitiesResponse, ActivityWindow
from yipin.cache import BuildCache, Table, digest
from yipin.calendar.remote import RemoteOccurrence, RemoteSeries
from yipin.content.models import Activity
from yipin.content.recurrence import (
    DEFAULT_TZ,
    Recurrence,
    SeriesEnd,
    activity_starts,
    horizon,
    is_excepted,
    parse_repeat,
    series_end,
)
from yipin.errors import YipinError
from yipin.site.derive import CaseView, Place, Site

__all__ = [
    "DEFAULT_TZ", "ENV_TODAY", "SITE_FEED", "MONTH_DATA", "ACTIVITIES_JSON",
    "Window", "Series", "Occurrence", "Calendar", "build_calendar", "feed_path", "rule_words",
]

ENV_TODAY = "YIPIN_TODAY"
SITE_FEED = "calendar.ics"
ACTIVITIES_JSON = PREFIX + "activities.json"
MONTH_DATA = "calendar/data/"


@dataclass(frozen=True)
class Window:
    reference: date     # "today" for everything decided at build time
    first: date
    last: date

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last


def publishing_window(site: Site) -> Window:
    settings = site.settings
    if settings.calendar_months_before < 0 or settings.calendar_months_after < 0:
        raise YipinError("mkdocs.yml 的 calendar_months_before 和 calendar_months_after 不能是负数")
    written = os.environ.get(ENV_TODAY) or settings.calendar_today
    try:
        reference = date.fromisoformat(written) if written else site.updated
    except ValueError:
        source = f"环境变量 {ENV_TODAY}" if os.environ.get(ENV_TODAY) else "mkdocs.yml 的 calendar_today"
        raise YipinError(f"{source}“{written}”不是日期：请写成 2027-01-05 这样") from None
    return Window(reference, reference - relativedelta(months=settings.calendar_months_before),
                  reference + relativedelta(months=settings.calendar_months_after))


def feed_path(scope: CaseView | Place | None) -> str:
    """Site-relative path of the iCalendar feed of a case, a street, or (None) the whole site."""
    return SITE_FEED if scope is None else f"{scope.url}calendar.ics"


@dataclass(frozen=True)
class Series:
    """One activity of one published case, its identity and its starts in the window."""

    case: CaseView
    activity: Activity
    recurrence: Recurrence | None
    tz: ZoneInfo
    first: datetime | None                 # the first real start (DTSTART), aware; None if it never happens
    starts: tuple[datetime, ...]           # aware starts in the window, ``except`` removed
    excluded: tuple[datetime, ...]         # aware starts that ``except`` removes (EXDATE)
    host: str = field(default="yipin", repr=False)

    @property
    def all_day(self) -> bool:
        return self.activity.start.all_day

    # What the calendar's pages show of any activity, this site's or a portal member's (remote.py).
    @property
    def title(self) -> str:
        return self.activity.title

    @property
    def location(self) -> str | None:
        return self.activity.location

    @property
    def example(self) -> bool:
        """An invented example (Activity.example): every output marks it as one."""
        return self.activity.example

    @property
    def case_url(self) -> str:
        return self.case.url

    @property
    def case_name(self) -> str:
        return f"{self.case.record.brand.name} · {self.case.record.community.name}"

    @property
    def ics(self) -> str:
        return self.ics_path

    @cached_property
    def key(self) -> str:
        """Stable across edits of other fields and reordering: case id, title and start only."""
        text = "\n".join((self.case.id, self.activity.title, str(self.activity.start)))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    @property
    def uid(self) -> str:
        return f"{self.case.id}-{self.key}@{self.host}"

    @property
    def ics_path(self) -> str:
        return f"{self.case.url}events/{self.key}.ics"

    @property
    def length(self) -> timedelta | None:
        """Start to end; an all-day activity lasts whole days, through its ``end`` day."""
        activity = self.activity
        if self.all_day:
            return timedelta(days=(activity.end.value - activity.start.value).days + 1 if activity.end else 1)
        if activity.end:
            return activity.end.value - activity.start.value
        return timedelta(minutes=activity.duration.minutes) if activity.duration else None

    @cached_property
    def page_fields(self) -> dict[str, Any]:
        """What calendar.js needs to draw one of its occurrences (the rest is in the API);
        ``example`` only where it is true, as calendar.js reads a missing one."""
        record, street = self.case.record, self.case.street
        return {"title": self.activity.title, "all_day": self.all_day, "location": self.activity.location,
                "status": self.activity.status, "brand": record.brand.name, "community": record.community.name,
                "url": self.case.url, "ics": self.ics_path, **({"example": True} if self.activity.example else {}),
                # What the site calendar's filters match (calendar.js): the street's slug, the case's themes.
                **({"street": street.slug} if street else {}), "themes": list(record.themes)}

    def api_fields(self, url: Any) -> dict[str, Any]:
        """What /api/v1/activities.json says of each occurrence besides its times; ``url``
        turns a site-relative URL into the one to publish."""
        activity, case = self.activity, self.case
        return {"case": case.id, "title": activity.title, "all_day": self.all_day, "location": activity.location,
                "status": activity.status, "example": activity.example, "repeat": activity.repeat, "tz": str(self.tz),
                "uid": self.uid,
                "brand": case.record.brand.name, "community": case.record.community.name,
                "url": url(case.url), "ics": url(self.ics_path)}

    @cached_property
    def end(self) -> SeriesEnd:
        return series_end(self.activity, self.recurrence)

    @property
    def cancelled(self) -> bool:
        return self.activity.status == "cancelled"

    @property
    def rule(self) -> str:
        """The short form of ``schedule`` that the agendas show once per activity: its repeat
        in words and its hours (每月第一个周六 15:00–17:00), or a one-off's date and hours."""
        if not self.recurrence:
            return self.schedule
        hours = "" if self.all_day else _hours(self.activity.start.value, self.length)
        return rule_words(self.recurrence, self.activity.start.value.date()) + (f" {hours}" if hours else "")

    @property
    def schedule(self) -> str:
        """How a person says when it happens: 每周五 09:00–11:00，2026年1月1日起，至2027年12月31日."""
        activity = self.activity
        start = activity.start.value
        hours = "" if self.all_day else _hours(start, self.length)
        if not self.recurrence:
            end = start + self.length - timedelta(days=1) if self.all_day and self.length.days > 1 else None
            return _long(start.date()) + (f"至{_long(end.date())}" if end else "") + (f" {hours}" if hours else "")
        text = self.rule + f"，{_long(start.date())}起"
        last = self.end.last_start(self.tz)
        if last:
            text += f"，至{_long(last.date())}"
        if self.end.count:
            text += f"，共{self.end.count}次"
        if activity.except_:
            text += "（" + "、".join(_long(skip.value.date()) for skip in activity.except_) + "除外）"
        return text


@dataclass(frozen=True)
class Occurrence:
    series: Series
    start: datetime    # aware

    @property
    def end(self) -> datetime | None:
        length = self.series.length
        return self.start + length if length is not None else None

    @property
    def last_day(self) -> date:
        """The day it is over: an all-day ``end`` is exclusive, a timed one is the end itself."""
        if self.series.all_day:
            return (self.end - timedelta(days=1)).date()
        return (self.end or self.start).date()

    @cached_property
    def times(self) -> tuple[str, str | None]:
        """Start and end as published: ISO with offset, or for all-day activities the first
        and last day itself (inclusive, as staff write it)."""
        if self.series.all_day:
            return self.start.date().isoformat(), self.last_day.isoformat()
        return self.start.isoformat(), self.end.isoformat() if self.end else None

    def record(self, series_fields: dict[str, Any]) -> dict[str, Any]:
        """The occurrence as /api/v1/activities.json gives it, from its series' fields
        (Series.api_fields, made once per series rather than once per occurrence)."""
        start, end = self.times
        return {**series_fields, "start": start, "end": end}


@dataclass(frozen=True)
class MonthDay:
    day: date
    in_month: bool
    occurrences: tuple[Occurrence, ...]


@dataclass(frozen=True, eq=False)
class Calendar:
    """The feature object the page templates receive as ``calendar``."""

    site: Site
    window: Window
    series: tuple[Series, ...]
    remote: tuple[RemoteOccurrence, ...] = ()    # a portal's members' activities in the window
    month_data: ClassVar[str] = MONTH_DATA

    @cached_property
    def occurrences(self) -> tuple[Occurrence, ...]:
        """This site's own occurrences (what its feeds and activities.json publish)."""
        found = (Occurrence(s, start) for s in self.series for start in s.starts)
        return tuple(sorted(found, key=lambda o: (o.start, o.series.case.id, o.series.activity.title)))

    @cached_property
    def everything(self) -> tuple[Occurrence | RemoteOccurrence, ...]:
        """The site calendar's occurrences: its own, and on a portal its members' too."""
        if not self.remote:
            return self.occurrences
        return tuple(sorted((*self.occurrences, *self.remote),
                            key=lambda o: (o.start, o.series.case_url, o.series.title, o.series.ics)))

    @cached_property
    def remote_series(self) -> dict[RemoteSeries, tuple[RemoteOccurrence, ...]]:
        """Each member activity with its occurrences in the window, in the order first seen."""
        found: dict[RemoteSeries, list[RemoteOccurrence]] = {}
        for occurrence in self.remote:
            found.setdefault(occurrence.series, []).append(occurrence)
        return {series: tuple(items) for series, items in found.items()}

    def series_in(self, scope: CaseView | Place | None) -> tuple[Series, ...]:
        """The activities of a case, of a street or district, or (None) of the whole site."""
        return self.series if scope is None else self._by_scope.get(id(scope), ())

    def of(self, scope: CaseView | Place | None) -> tuple[Occurrence, ...]:
        """The occurrences in the window of a case, a street or district, or the whole site."""
        return self.occurrences if scope is None else self._occurrences_by_scope.get(id(scope), ())

    @cached_property
    def _by_scope(self) -> dict[int, tuple[Series, ...]]:
        return _group_by_scope(self.series, lambda one: one.case)

    @cached_property
    def _occurrences_by_scope(self) -> dict[int, tuple[Occurrence, ...]]:
        return _group_by_scope(self.occurrences, lambda occurrence: occurrence.series.case)

    @cached_property
    def places(self) -> tuple[Place, ...]:
        """Streets and districts with at least one activity: each has its own feed."""
        places = {id(p): p for s in self.series for p in (s.case.street, s.case.district) if p is not None}
        return tuple(sorted(places.values(), key=lambda p: p.url))

    @cached_property
    def streets(self) -> tuple[Place, ...]:
        """Streets with at least one activity, in the site's order: the site calendar's street
        filter and its subscriptions (a portal's members' streets are not this site's)."""
        return tuple(place for place in self.places if place.kind == "street")

    @cached_property
    def themes(self) -> tuple[str, ...]:
        """The themes of the cases with activities, in the taxonomy's order: the theme filter."""
        used = {theme for one in self.series for theme in one.case.record.themes}
        order = [term.term for term in self.site.taxonomy.themes]
        return tuple(sorted(used, key=lambda theme: (order.index(theme) if theme in order else len(order), theme)))

    @cached_property
    def months(self) -> tuple[date, ...]:
        """The first day of every month of the window: the site calendar's month choice."""
        found, month = [], self.window.first.replace(day=1)
        while month <= self.window.last:
            found.append(month)
            month += relativedelta(months=1)
        return tuple(found)

    def by_month(self, occurrences: Iterable[Occurrence | RemoteOccurrence]) -> list[tuple[date, list[Any]]]:
        """Occurrences grouped by the month they start in (first day, items), in order."""
        groups: dict[date, list[Any]] = {}
        for occurrence in occurrences:
            groups.setdefault(occurrence.start.date().replace(day=1), []).append(occurrence)
        return list(groups.items())

    def in_month(self, occurrences: Iterable[Occurrence | RemoteOccurrence],
                 month: date | None = None) -> tuple[Any, ...]:
        """The occurrences starting in ``month`` (default: the reference date's)."""
        first = (month or self.window.reference).replace(day=1)
        return tuple(o for o in occurrences if o.start.date().replace(day=1) == first)

    def upcoming(self, occurrences: tuple[Occurrence, ...]) -> tuple[Occurrence, ...]:
        """The no-JavaScript fallback: occurrences not yet over on the reference date."""
        return tuple(o for o in occurrences if o.last_day >= self.window.reference)

    def month(self, occurrences: tuple[Occurrence, ...]) -> list[list[MonthDay]]:
        """Weeks (Monday first) of the reference month, each day with its occurrences."""
        first = self.window.reference.replace(day=1)
        start = first - timedelta(days=first.weekday())
        by_day: dict[date, list[Occurrence]] = {}
        for occurrence in occurrences:
            by_day.setdefault(occurrence.start.date(), []).append(occurrence)
        weeks: list[list[MonthDay]] = []
        day = start
        while day.month == first.month or day < first or day.weekday() != 0:
            weeks.append([]) if day.weekday() == 0 else None
            weeks[-1].append(MonthDay(day, day.month == first.month, tuple(by_day.get(day, ()))))
            day += timedelta(days=1)
        return weeks

    def data(self, occurrences: tuple[Occurrence, ...]) -> Markup:
        """The occurrences for a page's <script type="application/json"> (see page_data)."""
        text = json.dumps(page_data(occurrences), ensure_ascii=False, separators=(",", ":"))
        # Nothing in the data can close the script element or start an HTML comment.
        return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))

    def month_files(self) -> dict[str, str]:
        """calendar/data/YYYY-MM.json for every month of the window: the site calendar
        loads the months it shows instead of embedding every activity of the site."""
        by_month: dict[str, list[Occurrence | RemoteOccurrence]] = {}
        for occurrence in self.everything:
            by_month.setdefault(occurrence.start.strftime("%Y-%m"), []).append(occurrence)
        files = {}
        month = self.window.first.replace(day=1)
        while month <= self.window.last:
            key = month.strftime("%Y-%m")
            data = page_data(tuple(by_month.get(key, ())))
            files[f"{MONTH_DATA}{key}.json"] = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            month += relativedelta(months=1)
        return files

    def links(self, scope: CaseView | Place | None) -> dict[str, str]:
        """The feed's site-relative path, its https:// address and (with a site_url) webcal://."""
        path = feed_path(scope)
        address = self.site.settings.absolute(path)
        webcal = "webcal://" + address.split("://", 1)[1] if "://" in address else ""
        return {"path": path, "https": address, "webcal": webcal}

    def api_json(self) -> str:
        window = self.window
        fields = {id(one): one.api_fields(self.site.settings.absolute) for one in self.series}
        return api_json(ActivitiesResponse(
            version=API_VERSION, reference=window.reference.isoformat(),
            window=ActivityWindow(**{"from": window.first.isoformat(), "to": window.last.isoformat()}),
            count=len(self.occurrences),
            occurrences=[o.record(fields[id(o.series)]) for o in self.occurrences],
        ))


def page_data(occurrences: tuple[Occurrence | RemoteOccurrence, ...]) -> dict[str, list[Any]]:
    """The compact form calendar.js reads: each activity once (``series``), then
    [series index, start, end] per occurrence. URLs are site-relative (calendar.js prefixes
    the page's way to the site root), a portal member's absolute."""
    index: dict[int, int] = {}
    series: list[dict[str, Any]] = []
    rows: list[list[Any]] = []
    for occurrence in occurrences:
        one = occurrence.series
        if id(one) not in index:
            index[id(one)] = len(series)
            series.append(one.page_fields)
        rows.append([index[id(one)], *occurrence.times])
    return {"series": series, "at": rows}


def _group_by_scope(items: tuple[Any, ...], case_of: Any) -> dict[int, tuple[Any, ...]]:
    """id of a case, street or district → its items, in order: one pass, not one per page."""
    found: dict[int, list[Any]] = {}
    for item in items:
        case = case_of(item)
        for scope in (case, case.street, case.district):
            if scope is not None:
                found.setdefault(id(scope), []).append(item)
    return {key: tuple(value) for key, value in found.items()}


def build_calendar(site: Site, cache: BuildCache | None = None,
                   remote: Iterable[RemoteOccurrence] = ()) -> Calendar:
    """Every activity's series in the window; the starts of each from ``cache`` while the
    activity and the window are as they were. ``remote``: a portal's members' occurrences
    (those in the window are shown)."""
    window = publishing_window(site)
    host = urlparse(site.settings.site_url).hostname or "yipin"
    starts = (cache or BuildCache(None)).table("activity-starts")
    series = tuple(_series(case, activity, window, host, starts)
                   for case in site.cases for activity in case.record.activities)
    return Calendar(site, window, series, tuple(o for o in remote if o.start.date() in window))


def _series(case: CaseView, activity: Activity, window: Window, host: str, cache: Table) -> Series:
    # `yipin check` has parsed every repeat already: a RepeatError cannot reach this point.
    recurrence = parse_repeat(activity.repeat) if activity.repeat else None
    tz = ZoneInfo(activity.tz or DEFAULT_TZ)
    first, in_window, excluded = cache.get(digest(activity.model_dump_json(), window),
                                           partial(_starts, activity, recurrence, window, tz))
    return Series(case, activity, recurrence, tz, first, in_window, excluded, host)


def _starts(activity: Activity, recurrence: Recurrence | None, window: Window,
            tz: ZoneInfo) -> tuple[datetime | None, tuple[datetime, ...], tuple[datetime, ...]]:
    """The first start, the starts in the window and those ``except`` removes, all aware."""
    # Go past the window as far as the last ``except``: the feeds' EXDATEs must cover the
    # whole RRULE, not only the window. The first start lies within the horizon: `yipin
    # check` refuses a series that has none there.
    last = max((window.last, *(skip.value.date() for skip in activity.except_)))
    all_starts = activity_starts(activity, recurrence, tz, max(horizon(activity), last.year))
    first = next(all_starts, None)
    in_window: list[datetime] = []
    excluded: list[datetime] = []
    if first is not None:
        for start in takewhile(lambda s: s.date() <= last, chain((first,), all_starts)):
            if is_excepted(start, activity):
                excluded.append(start.replace(tzinfo=tz))
            elif start.date() in window:
                in_window.append(start.replace(tzinfo=tz))
    return first.replace(tzinfo=tz) if first else None, tuple(in_window), tuple(excluded)


_ORDINALS = {1: "第一个", 2: "第二个", 3: "第三个", 4: "第四个", 5: "第五个", -1: "最后一个", -2: "倒数第二个"}
_DAY_NAMES = {"MO": "周一", "TU": "周二", "WE": "周三", "TH": "周四", "FR": "周五", "SA": "周六", "SU": "周日"}
_COUNTS = "零一两三四五六七八九十"
_UNITS = {"DAILY": "天", "WEEKLY": "周", "MONTHLY": "个月", "YEARLY": "年"}


def rule_words(recurrence: Recurrence, start: date | None = None) -> str:
    """A repeat as people say it: a phrase as written (每月第一个周六, 每年腊八节), an RRULE in
    the same words (FREQ=WEEKLY;INTERVAL=2;BYDAY=TU → 每两周周二). An RRULE with parts these
    words do not cover reads 定期举行 (its dates are in the lists and the .ics). ``start``: the
    first start, which an RRULE without BYDAY, BYMONTHDAY or BYMONTH takes its day from."""
    if recurrence.rule is None or "FREQ=" not in recurrence.text.upper():
        return recurrence.text.strip()
    return _rrule_words(recurrence.rule, start) or "定期举行"


def _rrule_words(rule: str, start: date | None) -> str | None:
    parts = dict(item.split("=", 1) for item in rule.upper().replace(" ", "").split(";") if "=" in item)
    freq = parts.get("FREQ", "")
    if start is not None and not {"BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS"} & parts.keys():
        if freq == "WEEKLY":
            parts["BYDAY"] = list(_DAY_NAMES)[start.weekday()]
        elif freq in ("MONTHLY", "YEARLY"):
            parts["BYMONTHDAY"] = str(start.day)
        if freq == "YEARLY":
            parts["BYMONTH"] = str(start.month)
    parts.pop("FREQ", None)
    parts.pop("WKST", None)
    interval = parts.pop("INTERVAL", "1")
    if freq not in _UNITS or not interval.isdigit() or not 1 <= int(interval) <= 10:
        return None
    every = "每" + ("" if interval == "1" else _COUNTS[int(interval)]) + _UNITS[freq]
    every = {"每天": "每天", "每个月": "每月"}.get(every, every)
    days = parts.pop("BYDAY", None)
    monthdays = parts.pop("BYMONTHDAY", None)
    months = parts.pop("BYMONTH", None)
    if parts:   # BYSETPOS, BYWEEKNO, BYHOUR...: not in these words
        return None
    try:
        said_days = _weekdays(days) if days else ""
        said_monthdays = "、".join(f"{int(d)}日" if int(d) > 0 else f"倒数第{-int(d)}天" for d in monthdays.split(",")) \
            if monthdays else ""
        said_months = "、".join(f"{int(m)}月" for m in months.split(",")) if months else ""
    except (KeyError, ValueError):
        return None
    if freq == "DAILY":
        return every if not (said_days or said_monthdays or said_months) else None
    # 每周二、周四 and 每月15日, but 每两周的周二 and 每两个月的15日.
    joint = "" if interval == "1" else "的"
    if freq == "WEEKLY" and not (said_monthdays or said_months):
        return ("每" + said_days if interval == "1" else every + joint + said_days) if said_days else every
    if freq == "MONTHLY" and not said_months and bool(said_monthdays) != bool(said_days):
        return every + joint + (said_monthdays or said_days)
    if freq == "YEARLY" and said_months and bool(said_monthdays) != bool(said_days):
        return every + joint + said_months + (said_monthdays or said_days)
    return None


def _weekdays(days: str) -> str:
    """MO,WE → 周一、周三; 1SA → 第一个周六; -1SU → 最后一个周日."""
    said = []
    for day in days.split(","):
        name, nth = _DAY_NAMES[day[-2:]], day[:-2]
        said.append((_ORDINALS[int(nth)] if nth else "") + name)
    return "、".join(said)


def _long(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _hours(start: datetime, length: timedelta | None) -> str:
    if length is None:
        return start.strftime("%H:%M")
    end = start + length
    same_day = end.date() == start.date() or (end.time() == time(0) and length <= timedelta(days=1))
    return f"{start:%H:%M}–{end:%H:%M}" if same_day else f"{start:%H:%M} 至 {_long(end.date())} {end:%H:%M}"
