"""What `repeat` accepts is standard, bounded and buildable: an RRULE's own COUNT or UNTIL,
a search for starts that ends at a horizon however the rule is written, and, for any rule
`yipin check` accepts, a calendar whose .ics a strict parser reads and an independent
library expands to exactly the published occurrences."""

from __future__ import annotations

import dataclasses
import functools
import json
import time
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream

from yipin.build.keys import case_keys
from yipin.cache import BuildCache
from yipin.calendar.ical import calendar_files
from yipin.calendar.occurrences import build_calendar, feed_path
from yipin.commands.main import main
from yipin.config import Settings
from yipin.content.loaded import Loaded
from yipin.content.models import Activity, Case
from yipin.content.models.case import MANY
from yipin.content.recurrence import (
    _FREQS,
    _RRULE_PARTS,
    MAX_COUNT,
    RepeatError,
    SeriesEnd,
    activity_starts,
    never_message,
    parse_repeat,
)
from yipin.content.rules import check_case
from yipin.content.validate import validate_content
from yipin.site.derive import Site, derive_site

from .conftest import FIXTURE_CONTENT, make_content

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(("repeat", "rule", "end"), [
    ("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3", "FREQ=MONTHLY;BYMONTHDAY=15", SeriesEnd(count=3)),
    ("FREQ=WEEKLY;BYDAY=FR;UNTIL=20261231T160000Z", "FREQ=WEEKLY;BYDAY=FR",
     SeriesEnd(until=datetime(2026, 12, 31, 16, tzinfo=UTC))),
    ("RRULE:FREQ=WEEKLY;UNTIL=20261231;BYDAY=FR", "FREQ=WEEKLY;BYDAY=FR", SeriesEnd(until=date(2026, 12, 31))),
    ("freq=daily;until=20261203t080000", "FREQ=DAILY", SeriesEnd(until=datetime(2026, 12, 3, 8))),
])
def test_an_rrule_may_end_with_its_own_count_or_until(repeat, rule, end):
    recurrence = parse_repeat(repeat)
    assert (recurrence.rule, recurrence.end) == (rule, end)


def test_a_block_scalars_final_line_break_is_not_a_second_line():
    assert parse_repeat("每周五\n").rule == parse_repeat("FREQ=WEEKLY;BYDAY=FR\n").rule == "FREQ=WEEKLY;BYDAY=FR"


def starts(repeat: str, start: str, **fields) -> list[str]:
    item = Activity.model_validate({"title": "活动", "start": start, "repeat": repeat, **fields})
    found = activity_starts(item, parse_repeat(repeat), SHANGHAI, 2099)
    return [s.strftime("%m-%d %H:%M") for s in islice(found, 10)]


def test_until_in_utc_is_read_on_the_activitys_clock():
    """2027-01-01 is a Friday: 01:00 UTC is 09:00 in Shanghai, the start itself (inclusive)."""
    fridays = ["12-18 09:00", "12-25 09:00", "01-01 09:00"]
    assert starts("FREQ=WEEKLY;BYDAY=FR;UNTIL=20270101T010000Z", "2026-12-18 09:00") == fridays
    assert starts("FREQ=WEEKLY;BYDAY=FR;UNTIL=20270101T005900Z", "2026-12-18 09:00") == fridays[:2]
    assert starts("FREQ=WEEKLY;BYDAY=FR;UNTIL=20270101", "2026-12-18 09:00") == fridays       # the whole day
    assert starts("FREQ=WEEKLY;BYDAY=FR;UNTIL=20270101T085900", "2026-12-18 09:00") == fridays[:2]  # wall clock
    assert starts("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3", "2026-01-20 09:00") == ["02-15 09:00", "03-15 09:00",
                                                                               "04-15 09:00"]


@pytest.mark.parametrize(("repeat", "message"), [
    ("FREQ=MONTHLY;COUNT=3;UNTIL=20261231", "RRULE“FREQ=MONTHLY;COUNT=3;UNTIL=20261231”里 COUNT 和 UNTIL 只能写一个（RFC 5545 的规定）"),
    ("FREQ=MONTHLY;COUNT=0", f"RRULE“FREQ=MONTHLY;COUNT=0”里的 COUNT=0 写得不对：次数是 1 到 {MAX_COUNT} 之间的整数"),
    (f"FREQ=MONTHLY;COUNT={MAX_COUNT + 1}",
     f"RRULE“FREQ=MONTHLY;COUNT={MAX_COUNT + 1}”里的 COUNT={MAX_COUNT + 1} 写得不对：次数是 1 到 {MAX_COUNT} 之间的整数"),
    ("FREQ=MONTHLY;UNTIL=21000101", "RRULE“FREQ=MONTHLY;UNTIL=21000101”里的 UNTIL=21000101 不在 1901 年到 2099 年之间：日历只算到这些年份"),
    ("FREQ=MONTHLY;UNTIL=20260231", "RRULE“FREQ=MONTHLY;UNTIL=20260231”里的 UNTIL=20260231 写得不对：写成 20261231（到这一天为止）、"
     "20261231T160000Z（UTC 时间）或 20261231T160000（当地时间）"),
    ("FREQ=MONTHLY;BYMONTH=²", "RRULE“FREQ=MONTHLY;BYMONTH=²”里的 BYMONTH=² 写得不对"),
    ("FREQ=MONTHLY;BYWEEKNO=1", "RRULE“FREQ=MONTHLY;BYWEEKNO=1”里 BYWEEKNO 不能和 FREQ=MONTHLY 一起用：只有 FREQ=YEARLY 能按第几周"),
    ("FREQ=WEEKLY;BYMONTHDAY=1", "RRULE“FREQ=WEEKLY;BYMONTHDAY=1”里 BYMONTHDAY 不能和 FREQ=WEEKLY 一起用：每周的活动用 BYDAY 写星期几"),
    ("FREQ=DAILY;BYDAY=MO;BYSETPOS=2", "RRULE“FREQ=DAILY;BYDAY=MO;BYSETPOS=2”里 BYSETPOS 不能和 FREQ=DAILY 一起用：每天只有一次，没有第几次可选"),
    ("FREQ=YEARLY;BYSETPOS=1", "RRULE“FREQ=YEARLY;BYSETPOS=1”里的 BYSETPOS 要和 BYDAY 等一起用：它从这些日子里选第几个"),
    # Within a month (MONTHLY, or YEARLY with BYMONTH) a weekday comes at most five times;
    # python-dateutil raised IndexError on this one.
    ("FREQ=YEARLY;BYDAY=53MO;BYMONTH=2", "RRULE“FREQ=YEARLY;BYDAY=53MO;BYMONTH=2”里的 BYDAY=53MO 写得不对"),
    ("FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO", "RRULE“FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO”里写了 BYWEEKNO，BYDAY 就不能带序号（RFC 5545 的规定）：写 MO，不写 1MO"),
    ("DTSTART:20240101T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO\n",
     "repeat 只写 RRULE 那一行，即 FREQ=WEEKLY;BYDAY=MO：开始时间写在 start（不写 DTSTART），不举办的日期写在 except（不写 EXDATE）"),
    ("每周五\r每周六", "repeat 只能写一行，不能有换行或控制字符：如 每周五，或 FREQ=WEEKLY;BYDAY=FR"),
    ("每周五\u2028每周六", "repeat 只能写一行，不能有换行或控制字符：如 每周五，或 FREQ=WEEKLY;BYDAY=FR"),
    ("FREQ=WEEKLY;\x00BYDAY=FR", "repeat 只能写一行，不能有换行或控制字符：如 每周五，或 FREQ=WEEKLY;BYDAY=FR"),
])
def test_refused_ends_combinations_and_pastes(repeat, message):
    with pytest.raises(RepeatError) as caught:
        parse_repeat(repeat)
    assert str(caught.value) == message


# Each matches no day within the horizon; the first four python-dateutil alone would search
# until the year 9999 (0.5 to 9 s each).
NEVER = [
    "FREQ=YEARLY;BYYEARDAY=1;BYMONTHDAY=2",
    "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6",
    "FREQ=MONTHLY;BYMONTH=2;BYDAY=5SU;BYMONTHDAY=28",
    "FREQ=YEARLY;BYDAY=WE;BYSETPOS=54",
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO",
    "FREQ=DAILY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=29;BYDAY=SA",
    "FREQ=WEEKLY;INTERVAL=52;BYMONTH=6;BYDAY=MO",
]


@pytest.mark.parametrize("repeat", NEVER)
def test_a_rule_that_never_matches_is_found_in_milliseconds(repeat):
    item = Activity.model_validate({"title": "活动", "start": "2025-01-01 09:00", "repeat": repeat})
    began = time.perf_counter()
    message = never_message(item, parse_repeat(repeat), SHANGHAI)
    assert time.perf_counter() - began < 0.1
    assert message == (f"按“{repeat}”从 2025-01-01 09:00 起到 2029 年底（开始后 4 年内），除去跳过的日期，"
                       "一次活动也没有：请检查重复方式、开始日期和 except")


def test_check_of_hundreds_of_never_matching_rules_takes_well_under_a_second(in_tmp, capsys):
    """Before the horizon, fifteen such rules took 43 s. 199 rules and the fixture's own
    activity: as many as a case may hold (models.case.MANY)."""
    content = make_content(in_tmp)
    case = content / "cases" / "base.yaml"
    rules = [f"FREQ=YEARLY;INTERVAL={i // 27 + 1};BYYEARDAY=1;BYMONTHDAY={i % 27 + 2}" for i in range(MANY - 1)]
    case.write_text(case.read_text(encoding="utf-8").replace(
        "activities:\n", "activities:\n" + "".join(
            f"  - {{title: 活动{i}, start: 2025-01-01 09:00, repeat: \"{rule}\"}}\n" for i, rule in enumerate(rules))),
        encoding="utf-8")
    began = time.perf_counter()
    assert main(["check", "--content", "content"]) == 1
    elapsed = time.perf_counter() - began
    assert capsys.readouterr().out.count("一次活动也没有") == MANY - 1
    assert elapsed < 3, elapsed  # about 0.3 s of it is the rest of the check


# ---- check accepts ⇒ the build expands it and writes a calendar that parses and agrees

@functools.cache
def base() -> tuple[Loaded[Case], Site]:
    """The fixture case and its site (not a fixture: hypothesis would print it with every example)."""
    content = validate_content(FIXTURE_CONTENT)
    site = derive_site(content, Settings(content=FIXTURE_CONTENT, calendar_today="2026-06-01"))
    return content.cases[0], site


def build(site, loaded) -> tuple[dict, dict[str, bytes]]:
    """activities.json and every .ics of a site holding this one case."""
    case = dataclasses.replace(site.cases[0], loaded=loaded)
    one = dataclasses.replace(site, cases=(case,), featured=())
    calendar = build_calendar(one)
    files = calendar_files(calendar, BuildCache(None), case_keys(one, None, calendar))
    return json.loads(calendar.api_json()), files


WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def numbers(low: int, high: int):
    return st.integers(low, high).map(str) | st.integers(-high, -low).map(str)


PART_VALUES = {
    "FREQ": st.sampled_from(_FREQS),
    "INTERVAL": st.integers(1, 60).map(str),
    "BYDAY": st.lists(st.tuples(st.sampled_from(["", "", "1", "2", "-1", "5", "53"]), st.sampled_from(WEEKDAYS))
                      .map("".join), min_size=1, max_size=3).map(",".join),
    "BYMONTHDAY": st.lists(numbers(1, 31), min_size=1, max_size=3).map(",".join),
    "BYYEARDAY": st.lists(numbers(1, 366), min_size=1, max_size=2).map(",".join),
    "BYWEEKNO": st.lists(numbers(1, 53), min_size=1, max_size=2).map(",".join),
    "BYMONTH": st.lists(st.integers(1, 12).map(str), min_size=1, max_size=3).map(",".join),
    "BYSETPOS": st.lists(numbers(1, 8), min_size=1, max_size=2).map(",".join),
    "WKST": st.sampled_from(WEEKDAYS),
    "COUNT": st.integers(1, 40).map(str),
    "UNTIL": st.dates(date(2025, 1, 1), date(2028, 12, 31)).map(lambda d: d.strftime("%Y%m%d"))
    | st.datetimes(datetime(2025, 1, 1), datetime(2028, 12, 31)).map(lambda d: d.strftime("%Y%m%dT%H%M%S"))
    | st.datetimes(datetime(2025, 1, 1), datetime(2028, 12, 31)).map(lambda d: d.strftime("%Y%m%dT%H%M%SZ")),
}
assert set(PART_VALUES) == {*_RRULE_PARTS, "COUNT", "UNTIL"}


@st.composite
def rrules(draw) -> str:
    keys = draw(st.lists(st.sampled_from(sorted(set(PART_VALUES) - {"FREQ"})), max_size=4, unique=True))
    parts = [f"FREQ={draw(PART_VALUES['FREQ'])}", *(f"{key}={draw(PART_VALUES[key])}" for key in keys)]
    return ";".join(draw(st.permutations(parts)))


ends = st.one_of(st.just({}), st.integers(1, 30).map(lambda n: {"count": n}),
                 st.dates(date(2025, 1, 1), date(2028, 12, 31)).map(lambda day: {"until": str(day)}))
activities = st.tuples(st.fixed_dictionaries({
    "title": st.just("活动"),
    "start": st.dates(date(2025, 1, 1), date(2027, 6, 30)).flatmap(
        lambda day: st.sampled_from([day.isoformat(), f"{day} 09:00", f"{day} 23:30", f"{day} 00:00"])),
    "repeat": rrules(),
}, optional={
    "duration": st.sampled_from(["2h", "30m"]),
    "except": st.lists(st.dates(date(2025, 1, 1), date(2027, 12, 31)).map(str), max_size=3),
    "tz": st.sampled_from(["Asia/Shanghai", "America/New_York", "Europe/London"]),
}), ends).map(lambda pair: {**pair[0], **pair[1]})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(activity=activities)
def test_what_check_accepts_expands_and_parses(activity):
    loaded, site = base()
    record = loaded.record.model_dump(by_alias=True, exclude_none=True)
    loaded = dataclasses.replace(loaded, record=Case.model_validate({**record, "activities": [activity]}))
    began = time.perf_counter()
    refused = check_case(loaded)
    event("refused by check" if refused else "accepted by check")
    if refused:
        return
    api, files = build(site, loaded)
    assert time.perf_counter() - began < 2
    for data in files.values():
        IcsCalendarStream.from_ics(data.decode("utf-8"))
    feed = icalendar.Calendar.from_ical(files[feed_path(site.cases[0])])
    assert expanded(feed, api["window"]) == [_parsed(o["start"]) for o in api["occurrences"]]


def expanded(feed: icalendar.Calendar, window: dict) -> list[date | datetime]:
    """The starts in the window (by their own day, as the API counts them) that
    recurring-ical-events finds in the feed."""
    first, last = date.fromisoformat(window["from"]), date.fromisoformat(window["to"])
    found = recurring_ical_events.of(feed).between(first - timedelta(days=1), last + timedelta(days=2))
    starts = (event["DTSTART"].dt for event in found)
    return sorted(s for s in starts if first <= (s.date() if isinstance(s, datetime) else s) <= last)


def _parsed(text: str) -> date | datetime:
    return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)


def test_an_unchecked_rule_that_never_matches_builds_nothing_at_once():
    """The build runs after the check, but its expansion has the same horizon."""
    loaded, site = base()
    record = loaded.record.model_dump(by_alias=True, exclude_none=True)
    activity = {"title": "活动", "start": "2025-01-01 09:00", "repeat": "FREQ=YEARLY;BYYEARDAY=1;BYMONTHDAY=2"}
    loaded = dataclasses.replace(loaded, record=Case.model_validate({**record, "activities": [activity]}))
    began = time.perf_counter()
    api, files = build(site, loaded)
    assert time.perf_counter() - began < 0.5
    assert api["occurrences"] == [] and b"BEGIN:VEVENT" not in files[feed_path(site.cases[0])]
