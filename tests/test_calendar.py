"""Activity calendars on the built sample site: the feeds agree with /api/v1/activities.json,
follow RFC 5545 where calendar apps trip (DTSTART, UNTIL, RDATE, EXDATE, STATUS), keep
their UIDs through edits, and the pages show upcoming activities by the reader's clock.
(The strict-parser gate over every .ics is in test_gates.py.)"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
import yaml
from bs4 import BeautifulSoup

from yipin.build.pipeline import build_site
from yipin.config import Settings
from yipin.content.recurrence import FESTIVALS

from .browser import browser, serve
from .conftest import REPO, make_content


@pytest.fixture(scope="module")
def activities(sample_site) -> dict:
    return json.loads((sample_site / "api" / "v1" / "activities.json").read_text(encoding="utf-8"))


def feed(site: Path, path: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical((site / path).read_bytes())


def expanded(calendar: icalendar.Calendar, window: dict) -> set[tuple[str, str]]:
    """(UID, start) of every instance in the window, as an independent library expands it."""
    first, last = date.fromisoformat(window["from"]), date.fromisoformat(window["to"]) + timedelta(days=1)
    found = set()
    for event in recurring_ical_events.of(calendar).between(first, last):
        start = event["DTSTART"].dt
        found.add((str(event["UID"]), start.isoformat() if isinstance(start, datetime) else start.isoformat()))
    return found


def listed(activities: dict, keep=lambda o: True) -> set[tuple[str, str]]:
    return {(o["uid"], o["start"]) for o in activities["occurrences"] if keep(o)}


def test_the_site_feed_expands_to_exactly_the_api_occurrences(sample_site, activities):
    assert activities["count"] > 50
    assert expanded(feed(sample_site, "calendar.ics"), activities["window"]) == listed(activities)


@pytest.mark.parametrize("case", ["zhouxin-lianjiang", "liujiabao-hongxin", "liwan-suiyue-station"])
def test_a_case_feed_holds_that_cases_occurrences(sample_site, activities, case):
    own = expanded(feed(sample_site, f"cases/{case}/calendar.ics"), activities["window"])
    assert own == listed(activities, lambda o: o["case"] == case)


def test_a_street_feed_holds_its_cases_occurrences(sample_site, activities):
    own = expanded(feed(sample_site, "streets/anning-liujiabao/calendar.ics"), activities["window"])
    assert own == listed(activities, lambda o: o["case"].startswith("liujiabao-"))


def test_spliced_feeds_are_what_icalendar_writes_itself(sample_site):
    """Feeds are assembled from once-serialised events; icalendar must read them back and
    write the very same bytes."""
    for path in ("calendar.ics", "streets/anning-liujiabao/calendar.ics", "cases/zhouxin-lianjiang/calendar.ics"):
        data = (sample_site / path).read_bytes()
        assert icalendar.Calendar.from_ical(data).to_ical() == data, path


def event_of(site: Path, case: str, title: str) -> icalendar.Event:
    """The event of an activity; the sample's are all examples, their SUMMARY says so first."""
    events = [e for e in feed(site, f"cases/{case}/calendar.ics").walk("VEVENT")
              if str(e["SUMMARY"]).removeprefix("【示例】") == title]
    assert len(events) == 1
    return events[0]


def test_an_unmatched_start_moves_dtstart_to_the_first_real_occurrence(sample_site):
    """每逢双月1日 written from 2025-01-01: RFC 5545 would count 1 January as an instance."""
    event = event_of(sample_site, "liujiabao-hongxin", "红色驿站双月服务日")
    assert event["DTSTART"].dt == datetime.fromisoformat("2025-02-01T09:00:00+08:00")
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert dict(event["RRULE"]) == {"FREQ": ["MONTHLY"], "BYMONTH": [2, 4, 6, 8, 10, 12], "BYMONTHDAY": [1]}
    assert event["DURATION"].dt == timedelta(hours=3)


def test_lunar_festivals_are_rdates_across_the_window(sample_site, activities):
    event = event_of(sample_site, "zhouxin-lianjiang", "腊八节送粥进楼院")
    assert "RRULE" not in event
    assert event["DTSTART"].dt == date(2026, 1, 26)
    rdates = {d.dt for d in event["RDATE"].dts}
    first, last = (date.fromisoformat(activities["window"][k]) for k in ("from", "to"))
    in_window = {FESTIVALS["腊八节"].date_in(year) for year in range(2025, 2030)}
    assert rdates == {d for d in in_window if first <= d <= last} and date(2027, 1, 15) in rdates


def test_except_dates_become_exdates_and_cancelled_is_kept(sample_site, activities):
    friday = event_of(sample_site, "liujiabao-hongxin", "周五环境卫生集中整治")
    exdates = {d.dt for d in friday["EXDATE"].dts}
    assert exdates == {datetime.fromisoformat("2025-10-03T09:00:00+08:00"),
                       datetime.fromisoformat("2026-10-02T09:00:00+08:00")}
    assert not any(o["start"].startswith("2026-10-02") for o in activities["occurrences"])
    cancelled = event_of(sample_site, "zhouxin-jiangnan", "中秋邻里游园会")
    assert cancelled["STATUS"] == "CANCELLED"
    assert [o["status"] for o in activities["occurrences"] if o["title"] == "中秋邻里游园会"] == ["cancelled"]


def test_count_stays_in_the_rrule_and_dtstamp_comes_from_the_record(sample_site):
    online = event_of(sample_site, "liwan-suiyue-station", "随约服务驿站线上答疑")
    assert online["RRULE"]["COUNT"] == [30]
    for event in feed(sample_site, "calendar.ics").walk("VEVENT"):
        stamp = event["DTSTAMP"].dt
        assert (stamp.hour, stamp.minute, stamp.second) == (0, 0, 0)
    calendar = feed(sample_site, "calendar.ics")
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]


def test_a_single_activity_downloads_as_its_own_file(sample_site, activities):
    first = activities["occurrences"][0]
    path = first["ics"].split("://", 1)[1].split("/", 1)[1]
    events = list(feed(sample_site, path).walk("VEVENT"))
    assert [str(e["UID"]) for e in events] == [first["uid"]]


def uids(content: Path) -> dict[str, str]:
    build = build_site(Settings(content=content))
    return {o["title"]: o["uid"] for o in json.loads(build.files["api/v1/activities.json"])["occurrences"]}


def test_uids_survive_reordering_and_edits_of_other_fields(tmp_path, monkeypatch):
    monkeypatch.setenv("YIPIN_TODAY", "2026-12-01")
    content = make_content(tmp_path)
    case = content / "cases" / "base.yaml"
    record = yaml.safe_load(case.read_text(encoding="utf-8"))
    record["activities"] = [
        {"title": "周五环境卫生整治", "start": "2026-12-04 09:00", "duration": "2h", "repeat": "每周五"},
        {"title": "重阳敬老", "start": "2026-10-18", "repeat": "每年重阳节"},
    ]
    case.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    before = uids(content)
    record["activities"].reverse()
    record["activities"][0]["location"] = "社区广场"
    record["activities"][1]["description"] = "新写的说明"
    record["summary"] += "又补充了一句。"
    case.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    assert uids(content) == before and len(set(before.values())) == 2


def test_the_calendar_page_lists_the_reference_month_without_javascript(sample_site, activities):
    html = BeautifulSoup((sample_site / "calendar" / "index.html").read_text(encoding="utf-8"), "html.parser")
    agenda = html.select_one(".yp-agenda")
    shown = [t["datetime"] for t in agenda.select(".yp-agenda__list time")]
    reference = activities["reference"]
    expected = [o["start"] for o in activities["occurrences"] if o["start"][:7] == reference[:7]]
    assert shown == expected and shown
    # Those over on the reference date say so.
    over = [li.select_one("time")["datetime"] for li in agenda.select(".yp-event--past")]
    assert over == [o["start"] for o in activities["occurrences"]
                    if o["start"][:7] == reference[:7] and (o["end"] or o["start"])[:10] < reference]
    links = {a.get_text(): a["href"] for a in html.select(".yp-subscribe a")}
    assert links["订阅全部的活动日历"] == "webcal://yipin.example.org/calendar.ics"
    assert links["下载日历文件（.ics）"] == "../calendar.ics"


FIXED_NOW = "2027-01-14T20:00:00+08:00"


def test_upcoming_is_decided_by_the_readers_clock(sample_site, activities, tmp_path):
    now = datetime.fromisoformat(FIXED_NOW)
    expected = [o for o in activities["occurrences"] if (
        o["end"] or o["start"]) >= now.date().isoformat() and (o["all_day"] or datetime.fromisoformat(
            o["end"] or o["start"]) >= now)]
    with serve(sample_site) as base, browser() as chromium:
        context = chromium.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
        page = context.new_page()
        page.clock.set_fixed_time(FIXED_NOW)
        page.goto(base + "cases/zhouxin-lianjiang/")
        agenda = page.locator(".yp-agenda")
        assert "2027年1月14日" in agenda.locator(".yp-agenda__note").inner_text()
        shown = agenda.locator(".yp-agenda__list time").evaluate_all("ts => ts.map(t => t.getAttribute('datetime'))")
        own = [o["start"] for o in expected if o["case"] == "zhouxin-lianjiang"][:8]
        assert shown == own and shown[0] == "2027-01-15"   # 腊八 of the lunar year 2026
        grid = page.locator(".yp-month__grid")
        assert grid.locator("caption").inner_text() == "2027年1月"
        assert grid.locator("td", has_text="腊八节送粥进楼院").locator(".yp-month__day").inner_text() == "15"
        # The lists and the grid calendar.js draws keep the example mark (Activity.example).
        assert agenda.locator(".yp-event", has_text="腊八节送粥进楼院").first.locator(".yp-example").text_content() == "示例活动"
        assert grid.locator(".yp-month__event--example", has_text="腊八节送粥进楼院").locator(".yp-example").text_content() == "示例"
        with page.expect_download() as download:   # one "add to my calendar" per activity
            page.locator(".yp-activity", has_text="腊八节送粥进楼院").locator(".yp-activity__ics").click()
        saved = tmp_path / "event.ics"
        download.value.save_as(saved)
        events = list(icalendar.Calendar.from_ical(saved.read_bytes()).walk("VEVENT"))
        assert [str(e["SUMMARY"]) for e in events] == ["【示例】腊八节送粥进楼院"]
        page.goto(base + "calendar/")
        site_agenda = page.locator(".yp-agenda")
        site_agenda.locator(".yp-agenda__note", has_text="2027年1月14日").wait_for()
        shown = site_agenda.locator(".yp-agenda__list time").evaluate_all(
            "ts => ts.map(t => t.getAttribute('datetime'))")
        # The site calendar lists the reader's month (those over marked so).
        assert shown == [o["start"] for o in activities["occurrences"] if o["start"][:7] == "2027-01"]
        assert page.locator(".yp-month__grid caption").inner_text() == "2027年1月"
        assert site_agenda.locator(".yp-event").count() == site_agenda.locator(".yp-event .yp-example").count() > 0
        page.get_by_role("button", name="下个月").click()
        page.locator(".yp-month__grid caption", has_text="2027年2月").wait_for(timeout=5000)   # drawn from its file
        context.close()


def test_month_files_hold_every_occurrence_once(sample_site, activities):
    folder = sample_site / "calendar" / "data"
    rows = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert all(start.startswith(path.stem) for _, start, _ in data["at"]), path
        rows += [(data["series"][i]["title"], start) for i, start, _ in data["at"]]
    assert rows == [(o["title"], o["start"]) for o in activities["occurrences"]]
    first, last = activities["window"]["from"][:7], activities["window"]["to"][:7]
    assert (sorted(folder.glob("*.json"))[0].stem, sorted(folder.glob("*.json"))[-1].stem) == (first, last)


def test_calendar_settings_are_checked(tmp_path, monkeypatch):
    content = make_content(tmp_path)
    monkeypatch.setenv("YIPIN_TODAY", "2027-13-01")
    from yipin.errors import YipinError

    with pytest.raises(YipinError) as caught:
        build_site(Settings(content=content))
    assert str(caught.value) == "环境变量 YIPIN_TODAY“2027-13-01”不是日期：请写成 2027-01-05 这样"
    monkeypatch.setenv("YIPIN_TODAY", "2027-01-05")
    build = build_site(Settings(content=content))
    assert json.loads(build.files["api/v1/activities.json"])["reference"] == "2027-01-05"


def test_export_writes_the_feeds_too(tmp_path):
    shutil.copytree(REPO / "content", tmp_path / "content")
    build = build_site(Settings(content=tmp_path / "content"))
    assert "calendar.ics" in build.files and "api/v1/activities.json" in build.files
    assert "calendar/index.md" in build.pages


def build_activities(tmp_path: Path, monkeypatch, activities: list[dict], **brand) -> dict:
    """The files of the fixture site whose one case has these activities (and brand fields)."""
    monkeypatch.setenv("YIPIN_TODAY", "2026-12-01")
    content = make_content(tmp_path)
    case = content / "cases" / "base.yaml"
    record = yaml.safe_load(case.read_text(encoding="utf-8"))
    record["activities"] = activities
    record["brand"].update(brand)
    case.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    return build_site(Settings(content=content)).files


def strict(data: bytes):
    from ical.calendar_stream import IcsCalendarStream

    return IcsCalendarStream.from_ics(data.decode("utf-8")).calendars[0]


ENDING = [
    {"title": "每月十五", "start": "2026-09-15 09:00", "duration": "2h", "repeat": "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3"},
    # Calendar apps write "until 31 December" as its last second in UTC.
    {"title": "周四到年底", "start": "2026-10-01 19:00", "duration": "1h",
     "repeat": "FREQ=WEEKLY;BYDAY=TH;UNTIL=20261231T155959Z"},
    {"title": "全天到年底", "start": "2026-11-01", "repeat": "FREQ=WEEKLY;BYDAY=SU;UNTIL=20261231"},
    {"title": "当地时间截止", "start": "2026-12-01 08:00", "repeat": "FREQ=DAILY;UNTIL=20261203T080000"},
    {"title": "两处写了一样的次数", "start": "2026-09-01", "repeat": "FREQ=WEEKLY;COUNT=2", "count": 2},
]


def test_an_rrules_own_count_and_until_end_the_series_everywhere(tmp_path, monkeypatch):
    files = build_activities(tmp_path, monkeypatch, ENDING)
    activities = json.loads(files["api/v1/activities.json"])
    by_title: dict[str, list[str]] = {}
    for o in activities["occurrences"]:
        by_title.setdefault(o["title"], []).append(o["start"])
    assert by_title["每月十五"] == [f"2026-{m}-15T09:00:00+08:00" for m in ("09", "10", "11")]
    assert by_title["周四到年底"][-1] == "2026-12-31T19:00:00+08:00" and len(by_title["周四到年底"]) == 14
    assert by_title["全天到年底"][-1] == "2026-12-27" and len(by_title["全天到年底"]) == 9
    assert by_title["当地时间截止"] == ["2026-12-01T08:00:00+08:00", "2026-12-02T08:00:00+08:00",
                                     "2026-12-03T08:00:00+08:00"]
    assert by_title["两处写了一样的次数"] == ["2026-09-01", "2026-09-08"]
    feed_bytes = files["cases/base/calendar.ics"]
    strict(feed_bytes)
    calendar = icalendar.Calendar.from_ical(feed_bytes)
    assert expanded(calendar, activities["window"]) == listed(activities)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert dict(events["每月十五"]["RRULE"]) == {"FREQ": ["MONTHLY"], "BYMONTHDAY": [15], "COUNT": [3]}
    assert events["周四到年底"]["RRULE"]["UNTIL"] == [datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC)]
    assert events["全天到年底"]["RRULE"]["UNTIL"] == [date(2026, 12, 31)]
    assert events["当地时间截止"]["RRULE"]["UNTIL"] == [datetime(2026, 12, 3, 0, 0, tzinfo=UTC)]
    assert events["两处写了一样的次数"]["RRULE"]["COUNT"] == [2]
    rules = [line for line in feed_bytes.decode().split("\r\n") if line.startswith("RRULE:")]
    assert all(line.count("COUNT=") + line.count("UNTIL=") == 1 for line in rules) and len(rules) == 5
    schedules = {title: str(e["DESCRIPTION"]).split("\n")[0] for title, e in events.items()}
    assert schedules["每月十五"] == "每月15日 09:00–11:00，2026年9月15日起，共3次"   # an RRULE in words
    assert schedules["周四到年底"].endswith("，2026年10月1日起，至2026年12月31日")
    assert schedules["全天到年底"].endswith("，2026年11月1日起，至2026年12月31日")


PLAIN = "C:\\new 活动,一;二 🎉"


def test_text_with_ics_syntax_comes_back_exactly_from_a_strict_parser(tmp_path, monkeypatch):
    """Commas, semicolons and backslashes (here also a literal backslash-n) are escaped in
    every text property, the calendar's own name included."""
    brand = "品牌,甲;乙\\丙 🏮"
    activity = {"title": PLAIN, "location": "会议室 A\\B;一楼,东侧 🏠", "start": "2026-12-04 09:00", "repeat": "每周五"}
    files = build_activities(tmp_path, monkeypatch, [activity], name=brand)
    single = next(path for path in files if path.startswith("cases/base/events/"))
    own = strict(files[single])
    assert own.name == [PLAIN]
    event = own.events[0]
    assert (event.summary, event.location) == (PLAIN, activity["location"])
    assert event.description.split("\n")[1] == f"{brand} · 样例社区"
    feed_bytes = files["cases/base/calendar.ics"]
    assert strict(feed_bytes).name == [f"{brand} · 样例社区"]
    lines = feed_bytes.decode().replace("\r\n ", "").split("\r\n")
    # ical splits CATEGORIES at escaped commas too, and keeps X- properties as written:
    # these two are compared with the escaped text.
    assert f"CATEGORIES:{escaped(brand)}" in lines
    assert f"X-WR-CALNAME:{escaped(brand + ' · 样例社区')}" in lines


def escaped(text: str) -> str:
    return icalendar.vText(text).to_ical().decode()
