"""A portal's members' activities, in its calendar: the occurrences each member lists in its
api/v1/activities.json, as they are (a member's repeat rules stay on its site). They have
what the calendar's pages and feed read of an own activity (occurrences.py: Series and
Occurrence), and link to the member's case page and .ics file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from yipin.api.models import ActivitiesResponse, OccurrenceRecord

__all__ = ["RemoteSeries", "RemoteOccurrence", "remote_occurrences"]


@dataclass(frozen=True, eq=False)
class RemoteSeries:
    """One activity of a member's case, as far as its occurrences tell."""

    member: str
    uid: str
    title: str
    location: str | None
    cancelled: bool
    example: bool            # an invented example activity (Activity.example)
    all_day: bool
    case_url: str            # on the member's site
    case_name: str           # brand · community
    ics: str                 # the activity's .ics on the member's site
    tz: ZoneInfo
    stamp: date              # the member's reference date: the feed's DTSTAMP, never the clock

    @property
    def page_fields(self) -> dict[str, Any]:
        brand, _, community = self.case_name.partition(" · ")
        return {"title": self.title, "all_day": self.all_day, "location": self.location,
                "status": "cancelled" if self.cancelled else "confirmed", "brand": brand, "community": community,
                "url": self.case_url, "ics": self.ics, **({"example": True} if self.example else {})}


@dataclass(frozen=True)
class RemoteOccurrence:
    series: RemoteSeries
    start: datetime          # aware
    end: datetime | None     # exclusive for all-day occurrences, as in occurrences.Occurrence

    @property
    def last_day(self) -> date:
        if self.series.all_day:
            return (self.end - timedelta(days=1)).date() if self.end else self.start.date()
        return (self.end or self.start).date()

    @property
    def times(self) -> tuple[str, str | None]:
        if self.series.all_day:
            return self.start.date().isoformat(), self.last_day.isoformat()
        return self.start.isoformat(), self.end.isoformat() if self.end else None


def remote_occurrences(member: str, base: str, activities: ActivitiesResponse) -> tuple[RemoteOccurrence, ...]:
    """Every occurrence a member (its name, its configured address) lists; ValueError if one
    has no valid time or zone (the member is then not read: members.py). Each UID is put
    under the member's address: a member cannot publish another's, and the portal's .ics
    holds each once (calendar apps read a repeated UID as an update of the first)."""
    stamp = date.fromisoformat(activities.reference)
    series: dict[str, RemoteSeries] = {}
    found = []
    for record in activities.occurrences:
        one = series.setdefault(record.uid, _series(member, f"{base}#{record.uid}", record, stamp))
        found.append(RemoteOccurrence(one, *_times(record, one.tz)))
    return tuple(found)


def _series(member: str, uid: str, record: OccurrenceRecord, stamp: date) -> RemoteSeries:
    try:
        tz = ZoneInfo(record.tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "America" is a folder of zones, not one
        raise ValueError(f"时区“{record.tz}”不存在") from None
    return RemoteSeries(member=member, uid=uid, title=record.title, location=record.location,
                        cancelled=record.status == "cancelled", example=record.example, all_day=record.all_day, case_url=record.url,
                        case_name=f"{record.brand} · {record.community}", ics=record.ics, tz=tz, stamp=stamp)


def _times(record: OccurrenceRecord, tz: ZoneInfo) -> tuple[datetime, datetime | None]:
    if record.all_day:
        first = date.fromisoformat(record.start)
        last = date.fromisoformat(record.end) if record.end else first
        if last < first:
            raise ValueError(f"活动“{record.title}”结束在开始之前")
        return datetime.combine(first, time(0), tz), datetime.combine(last + timedelta(days=1), time(0), tz)
    start = datetime.fromisoformat(record.start)
    end = datetime.fromisoformat(record.end) if record.end else None
    if start.tzinfo is None or (end is not None and (end.tzinfo is None or end < start)):
        raise ValueError(f"活动“{record.title}”的时间不对")
    return start.astimezone(tz), end.astimezone(tz) if end else None
