"""`repeat`: every accepted phrase → its dates, festivals against published dates and a
second lunar library, and the exact message for every kind of phrase we refuse."""

from __future__ import annotations

from datetime import date, datetime
from itertools import islice
from zoneinfo import ZoneInfo

import lunardate
import pytest

from yipin.content.models import Activity
from yipin.content.recurrence import FESTIVALS, RepeatError, accepted_forms_text, activity_starts, parse_repeat

SHANGHAI = ZoneInfo("Asia/Shanghai")


def days(repeat: str, start: str, n: int = 4) -> list[str]:
    first = datetime.fromisoformat(start)
    return [s.date().isoformat() for s in islice(parse_repeat(repeat).starts(first, first.year + 40), n)]


# phrase, first date written, the first occurrences (a start that does not match comes out)
PHRASES = [
    ("每天", "2026-01-30", ["2026-01-30", "2026-01-31", "2026-02-01", "2026-02-02"]),
    ("每日", "2026-01-30", ["2026-01-30", "2026-01-31", "2026-02-01", "2026-02-02"]),
    ("每周五", "2026-01-01", ["2026-01-02", "2026-01-09", "2026-01-16", "2026-01-23"]),
    ("每星期日", "2026-01-01", ["2026-01-04", "2026-01-11", "2026-01-18", "2026-01-25"]),
    ("每周天", "2026-01-01", ["2026-01-04", "2026-01-11", "2026-01-18", "2026-01-25"]),
    ("每两周六", "2026-01-03", ["2026-01-03", "2026-01-17", "2026-01-31", "2026-02-14"]),
    ("每2周一", "2026-01-05", ["2026-01-05", "2026-01-19", "2026-02-02", "2026-02-16"]),
    ("每月15日", "2026-01-20", ["2026-02-15", "2026-03-15", "2026-04-15", "2026-05-15"]),
    ("每月十五号", "2026-01-01", ["2026-01-15", "2026-02-15", "2026-03-15", "2026-04-15"]),
    ("每月31日", "2026-01-01", ["2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31"]),
    ("每月第一个周六", "2026-01-01", ["2026-01-03", "2026-02-07", "2026-03-07", "2026-04-04"]),
    ("每月第五个周五", "2026-01-01", ["2026-01-30", "2026-05-29", "2026-07-31", "2026-10-30"]),
    ("每月最后一个周日", "2026-01-01", ["2026-01-25", "2026-02-22", "2026-03-29", "2026-04-26"]),
    # RFC 5545 would count an unmatched 1 January as an instance; the first is 1 February.
    ("每逢双月1日", "2026-01-01", ["2026-02-01", "2026-04-01", "2026-06-01", "2026-08-01"]),
    ("每逢单月1日", "2026-01-01", ["2026-01-01", "2026-03-01", "2026-05-01", "2026-07-01"]),
    ("每逢双月第一个周六", "2026-01-01", ["2026-02-07", "2026-04-04", "2026-06-06", "2026-08-01"]),
    ("每年3月5日", "2026-01-01", ["2026-03-05", "2027-03-05", "2028-03-05", "2029-03-05"]),
    ("每年2月29日", "2026-01-01", ["2028-02-29", "2032-02-29", "2036-02-29", "2040-02-29"]),
    ("每年国庆节", "2026-01-01", ["2026-10-01", "2027-10-01", "2028-10-01", "2029-10-01"]),
    ("每年中秋节", "2026-01-01", ["2026-09-25", "2027-09-15", "2028-10-03", "2029-09-22"]),
    ("每年重阳节", "2026-01-01", ["2026-10-18", "2027-10-08", "2028-10-26", "2029-10-16"]),
    ("每年重阳", "2026-10-19", ["2027-10-08", "2028-10-26", "2029-10-16", "2030-10-05"]),
    ("每年冬至", "2026-01-01", ["2026-12-22", "2027-12-22", "2028-12-21", "2029-12-21"]),
    # 腊八 of lunar 2025 falls in January 2026: a start in 2026 must still find it.
    ("每年腊八节", "2026-01-01", ["2026-01-26", "2027-01-15", "2028-01-04", "2029-01-22"]),
    ("每年小年", "2026-01-01", ["2026-02-10", "2027-01-30", "2028-01-19", "2029-02-06"]),
    ("FREQ=WEEKLY;BYDAY=FR", "2026-01-01", ["2026-01-02", "2026-01-09", "2026-01-16", "2026-01-23"]),
    ("RRULE:FREQ=MONTHLY;BYDAY=-1SU", "2026-01-01", ["2026-01-25", "2026-02-22", "2026-03-29", "2026-04-26"]),
    ("freq=yearly; bymonth=3; bymonthday=12", "2026-01-01", ["2026-03-12", "2027-03-12", "2028-03-12", "2029-03-12"]),
]


@pytest.mark.parametrize(("repeat", "start", "expected"), PHRASES)
def test_phrase_gives_its_dates(repeat, start, expected):
    assert days(repeat, start) == expected


def test_every_accepted_form_of_the_guide_is_in_the_table():
    from yipin.content.recurrence import ACCEPTED_FORMS

    tested = {repeat for repeat, _, _ in PHRASES}
    assert {example for example, _ in ACCEPTED_FORMS} <= tested


# Published dates (国务院办公厅 holiday notices for 春节, 清明, 端午, 中秋; almanacs for the rest).
# 2025 has a leap sixth month (闰六月): 七夕, 中元, 中秋 and 重阳 come a month later.
PUBLISHED = {
    "春节": ["2025-01-29", "2026-02-17", "2027-02-06", "2028-01-26"],
    "元宵节": ["2025-02-12", "2026-03-03", "2027-02-20", "2028-02-09"],
    "端午节": ["2025-05-31", "2026-06-19", "2027-06-09", "2028-05-28"],
    "七夕": ["2025-08-29", "2026-08-19", "2027-08-08", "2028-08-26"],
    "中元节": ["2025-09-06", "2026-08-27", "2027-08-16", "2028-09-03"],
    "中秋节": ["2025-10-06", "2026-09-25", "2027-09-15", "2028-10-03"],
    "重阳节": ["2025-10-29", "2026-10-18", "2027-10-08", "2028-10-26"],
    "清明": ["2025-04-04", "2026-04-05", "2027-04-05", "2028-04-04"],
    "冬至": ["2025-12-21", "2026-12-22", "2027-12-22", "2028-12-21"],
}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_festivals_2025_to_2028_match_the_published_dates(name):
    assert [FESTIVALS[name].date_in(year).isoformat() for year in range(2025, 2029)] == PUBLISHED[name]


@pytest.mark.parametrize("name", sorted(n for n, f in FESTIVALS.items() if f.kind == "lunar"))
def test_lunar_festivals_2025_to_2028_agree_with_lunardate(name):
    festival = FESTIVALS[name]
    for year in range(2025, 2029):
        other = lunardate.LunarDate(year, festival.month, festival.day).to_solar_date()
        assert festival.date_in(year) == other, (name, year)


def test_a_leap_month_year_is_counted_once():
    """2025 has 闰六月: the yearly festival happens once a year, never in the leap month."""
    mid_autumn = [d for d in (FESTIVALS["中秋节"].date_in(y) for y in range(2024, 2027))]
    assert mid_autumn == [date(2024, 9, 17), date(2025, 10, 6), date(2026, 9, 25)]


def activity(**fields) -> Activity:
    return Activity.model_validate({"title": "活动", "start": "2026-01-01 09:00", **fields})


def starts(item: Activity) -> list[str]:
    found = activity_starts(item, parse_repeat(item.repeat) if item.repeat else None, SHANGHAI, 2099)
    return [s.strftime("%Y-%m-%d %H:%M") for s in islice(found, 10)]


def test_until_is_inclusive_and_count_counts_real_occurrences():
    assert starts(activity(repeat="每逢双月1日", until="2026-06-01")) == [
        "2026-02-01 09:00", "2026-04-01 09:00", "2026-06-01 09:00"]
    assert starts(activity(repeat="每逢双月1日", count=2)) == ["2026-02-01 09:00", "2026-04-01 09:00"]
    assert starts(activity(repeat="每年中秋节", count=2)) == ["2026-09-25 09:00", "2027-09-15 09:00"]


def test_a_one_off_activity_happens_once():
    assert starts(activity()) == ["2026-01-01 09:00"]


REFUSED = [
    ("每周八", "重复方式“每周八”里的星期几不对：只能写 一 到 六、日 或 天"),
    ("每月32日", "重复方式“每月32日”里的日子不对：每月只有 1 日到 31 日，没有 32 日"),
    ("每月第六个周一", "重复方式“每月第六个周一”里的第几个不对：只能写 第一个 到 第五个，或 最后一个"),
    ("每年2月30日", "重复方式“每年2月30日”里的日期不存在：没有 2月30日"),
    ("每零周一", "重复方式“每零周一”里的间隔不对：写 每周五，或 每两周六、每三周一 这样的写法"),
    ("每年圣诞节", "重复方式“每年圣诞节”里的节日“圣诞节”不在支持的节日里：每年后面可以写 "
     + "、".join(FESTIVALS)),
    ("FREQ=HOURLY", "RRULE“FREQ=HOURLY”的 FREQ 只能是 DAILY、WEEKLY、MONTHLY、YEARLY"),
    ("FREQ=MONTHLY;BYMONTH=13", "RRULE“FREQ=MONTHLY;BYMONTH=13”里的 BYMONTH=13 写得不对"),
    ("FREQ=DAILY;BYHOUR=9", "RRULE“FREQ=DAILY;BYHOUR=9”里不要写 BYHOUR：活动的钟点写在 start 里"),
    ("FREQ=DAILY;FOO=1", "RRULE“FREQ=DAILY;FOO=1”里没有 FOO 这一项：可以写 "
     "FREQ、INTERVAL、BYDAY、BYMONTHDAY、BYYEARDAY、BYWEEKNO、BYMONTH、BYSETPOS、WKST、COUNT、UNTIL"),
    ("FREQ=DAILY;FREQ=WEEKLY", "RRULE“FREQ=DAILY;FREQ=WEEKLY”里 FREQ 写了两次"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "RRULE“FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30”永远不会发生：所写的月份里没有这一天"),
    ("FREQ=WEEKLY;BYDAY", "RRULE“FREQ=WEEKLY;BYDAY”写得不对：每一项写成 名称=值，用英文分号隔开，如 FREQ=WEEKLY;BYDAY=FR"),
]


@pytest.mark.parametrize(("repeat", "message"), REFUSED)
def test_refused_phrase_gives_its_message(repeat, message):
    with pytest.raises(RepeatError) as caught:
        parse_repeat(repeat)
    assert str(caught.value) == message


@pytest.mark.parametrize("repeat", ["隔周五", "每周", "每月", "周五", "每周一三五", "每月15", "每逢月1日", "每年"])
def test_unknown_phrase_lists_the_accepted_forms(repeat):
    with pytest.raises(RepeatError) as caught:
        parse_repeat(repeat)
    assert str(caught.value) == f"不认识重复方式“{repeat}”：{accepted_forms_text()}"
    assert "每逢双月1日" in str(caught.value) and "腊八节" in str(caught.value)
