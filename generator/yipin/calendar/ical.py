"""iCalendar (RFC 5545) feeds of the activities: the whole site, each street and district,
each case, and each activity on its own, built with the icalendar library from the same
Series objects as the calendar pages and /api/v1/activities.json.

What calendar apps need to get right, and RFC 5545 demands:
- DTSTART is the first real occurrence (Series.first): RFC 5545 counts DTSTART as an
  instance even when the rule does not match it, so 每逢双月1日 written from 1 January
  starts on 1 February here.
- A rule stays an RRULE (with UNTIL in UTC, or COUNT), so subscribers see the series
  beyond the publishing window. Lunar festivals and solar terms have no RRULE that apps
  implement (RFC 7529 RSCALE is not supported by them): their dates are listed as RDATEs
  across the publishing window.
- DTSTAMP comes from the case's last update, never the build clock: the same content
  gives byte-identical feeds.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from functools import partial

from icalendar import Calendar as ICalendar
from icalendar import Event, Timezone, vRecur, vText

from yipin.cache import BuildCache, Table, digest
from yipin.calendar.occurrences import Calendar, Series, feed_path
from yipin.calendar.remote import RemoteOccurrence, RemoteSeries

__all__ = ["PRODID", "EXAMPLE_PREFIX", "EXAMPLE_CATEGORY", "calendar_files"]

PRODID = "-//Yipin//一品 社区治理品牌库//ZH"
# An invented example activity (Activity.example) says so in every calendar app: its title,
# its description's first line and a category, since apps show no custom property.
EXAMPLE_PREFIX = "【示例】"
EXAMPLE_CATEGORY = "示例活动"
EXAMPLE_NOTE = "示例活动：为演示编写，不是真实的活动安排。"


def calendar_files(calendar: Calendar, cache: BuildCache, keys: dict[str, str]) -> dict[str, bytes]:
    """Site-relative path → .ics bytes for every feed and every single-activity file. Each
    event's and header's bytes come from ``cache`` while the case's key (cache_keys.py) holds."""
    site = calendar.site
    feeds = _Feeds(calendar, cache.table("ical"), keys)
    files = {feed_path(None): feeds.feed(site.settings.site_name + " · 社区活动", calendar.series,
                                         calendar.remote_series)}
    for place in calendar.places:
        files[feed_path(place)] = feeds.feed(f"{place.name} · 社区活动", calendar.series_in(place))
    for case in site.cases:
        series = calendar.series_in(case)
        if series:
            files[feed_path(case)] = feeds.feed(f"{case.record.brand.name} · {case.record.community.name}", series)
        for one in series:
            files[one.ics_path] = feeds.feed(_summary(one), (one,))
    return files


_END = b"END:VCALENDAR\r\n"


class _Feeds:
    """Each VEVENT and VTIMEZONE is serialised once and spliced into every feed that holds
    it (an activity is in up to five: site, district, street, case, its own file); the bytes
    are what icalendar writes for the whole calendar, at a fifth of the cost."""

    def __init__(self, calendar: Calendar, cache: Table, keys: dict[str, str]) -> None:
        self.calendar = calendar
        self.cache = cache
        self.keys = keys

    def feed(self, name: str, series: Iterable[Series],
             remote: Mapping[RemoteSeries, tuple[RemoteOccurrence, ...]] | None = None) -> bytes:
        series = [one for one in series if one.first is not None]
        remote = remote or {}
        zones = sorted({str(one.tz) for one in (*series, *remote) if not one.all_day})
        parts = [_vtimezone(tzid) for tzid in zones] + [self.event(one) for one in series]
        parts += [_remote_event(one, occurrences).to_ical() for one, occurrences in remote.items()]
        head = self.cache.get(digest("header", name), partial(_header, name))
        return head[: -len(_END)] + b"".join(parts) + _END

    def event(self, series: Series) -> bytes:
        key = digest("event", self.keys[series.case.id], series.key)
        return self.cache.get(key, lambda: _event(self.calendar, series).to_ical())


def _header(name: str) -> bytes:
    feed = ICalendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    # icalendar does not know these two as text, so it would write them unescaped: a comma,
    # a backslash or a line break in a brand name or a title would corrupt or crash the feed.
    feed.add("name", vText(name))               # RFC 7986
    feed.add("x-wr-calname", vText(name))       # what Apple, Google and Outlook read
    feed.add("x-wr-timezone", "Asia/Shanghai")
    feed.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
    feed.add("x-published-ttl", "P1D")
    return feed.to_ical()


@functools.cache
def _vtimezone(tzid: str) -> bytes:
    """VTIMEZONE from the tz database: slow to compute (75 ms), so once per zone."""
    return Timezone.from_tzid(tzid).to_ical()


def _event(calendar: Calendar, series: Series) -> Event:
    activity, case = series.activity, series.case
    event = Event()
    event.add("uid", series.uid)
    event.add("dtstamp", datetime.combine(case.updated, time(0), UTC))
    event.add("summary", _summary(series))
    event.add("dtstart", _value(series, series.first))
    length = series.length
    if length is not None:
        if series.all_day:
            event.add("dtend", series.first.date() + length)
        else:
            event.add("duration", length)
    if activity.location:
        event.add("location", activity.location)
    event.add("description", _description(series, calendar.site.settings.absolute(case.url)))
    event.add("url", calendar.site.settings.absolute(case.url))
    event.add("status", "CANCELLED" if series.cancelled else "CONFIRMED")
    event.add("categories", [case.record.brand.name, *([EXAMPLE_CATEGORY] if series.example else [])])
    if series.recurrence is not None:
        if series.recurrence.rule is not None:
            event.add("rrule", _rrule(series))
        else:
            extra = [start for start in series.starts if start != series.first]
            if extra:
                event.add("rdate", [_value(series, start) for start in extra])
    if series.excluded:
        event.add("exdate", [_value(series, start) for start in series.excluded])
    return event


def _remote_event(series: RemoteSeries, occurrences: tuple[RemoteOccurrence, ...]) -> Event:
    """A member's activity on a portal: its occurrences in the window, as the member lists
    them (its repeat rule stays on its own site), linking to its case page."""
    first = occurrences[0]
    event = Event()
    event.add("uid", series.uid)
    event.add("dtstamp", datetime.combine(series.stamp, time(0), UTC))
    event.add("summary", _summary(series))
    event.add("dtstart", _value(series, first.start))
    if first.end is not None:
        if series.all_day:
            event.add("dtend", first.end.date())
        else:
            event.add("duration", first.end - first.start)
    if series.location:
        event.add("location", series.location)
    lines = (series.case_name, f"来自 {series.member}", series.case_url)
    event.add("description", "\n".join((EXAMPLE_NOTE, *lines) if series.example else lines))
    event.add("url", series.case_url)
    event.add("status", "CANCELLED" if series.cancelled else "CONFIRMED")
    event.add("categories", [series.case_name.partition(" · ")[0], *([EXAMPLE_CATEGORY] if series.example else [])])
    if len(occurrences) > 1:
        event.add("rdate", [_value(series, o.start) for o in occurrences[1:]])
    return event


def _summary(series: Series | RemoteSeries) -> str:
    return EXAMPLE_PREFIX + series.title if series.example else series.title


def _value(series: Series | RemoteSeries, start: datetime) -> date | datetime:
    return start.date() if series.all_day else start


def _rrule(series: Series) -> vRecur:
    """The rule with the series' one end (Series.end: count, until, or the rule's own)."""
    rule = vRecur.from_ical(series.recurrence.rule)
    last = series.end.last_start(series.tz)
    if series.end.count:
        rule["COUNT"] = series.end.count
    elif last and series.all_day:
        rule["UNTIL"] = last.date()
    elif last:
        # RFC 5545: with a DTSTART in a time zone, UNTIL is written in UTC.
        rule["UNTIL"] = last.replace(tzinfo=series.tz).astimezone(UTC)
    return rule


def _description(series: Series, address: str) -> str:
    record = series.case.record
    lines = [series.schedule, f"{record.brand.name} · {record.community.name}"]
    if series.example:
        lines.insert(0, EXAMPLE_NOTE)
    if series.activity.description:
        lines.append(series.activity.description.strip())
    lines.append(address)
    return "\n".join(lines)
