"""The compact agenda (issue 15): on a case page each activity once with its rule in words and
one "add to my calendar", then one line per occurrence grouped by month; the site calendar's
month grid before the chosen month's agenda, its street and theme filters kept in the URL;
a feed per street that holds only that street's activities."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import icalendar
import pytest
from bs4 import BeautifulSoup

from yipin.calendar.occurrences import rule_words
from yipin.content.recurrence import parse_repeat

from .browser import browser, serve
from .test_csp import RECORD

NOW = "2027-01-14T20:00:00+08:00"


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def activities(sample_site) -> dict:
    return json.loads((sample_site / "api" / "v1" / "activities.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def month_series(sample_site) -> list[dict]:
    """Every series entry of the month files the site calendar loads (street, themes...)."""
    found = []
    for path in sorted((sample_site / "calendar" / "data").glob("*.json")):
        found += json.loads(path.read_text(encoding="utf-8"))["series"]
    return found


@pytest.mark.parametrize(("written", "said"), [
    ("每月第一个周六", "每月第一个周六"),
    ("每年腊八节", "每年腊八节"),
    ("FREQ=WEEKLY;BYDAY=FR", "每周五"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "每两周的周二"),
    ("FREQ=WEEKLY;BYDAY=MO,TH", "每周一、周四"),
    ("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3", "每月15日"),
    ("FREQ=MONTHLY;BYDAY=-1SU", "每月最后一个周日"),
    ("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1", "每两个月的1日"),
    ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=5", "每年3月5日"),
    ("FREQ=DAILY;INTERVAL=3", "每三天"),
    ("FREQ=WEEKLY", "每周六"),                      # the day of its start (a Saturday)
    ("FREQ=MONTHLY;BYDAY=SA;BYSETPOS=1", "定期举行"),   # beyond these words: never the code
])
def test_a_repeat_in_words(written, said):
    assert rule_words(parse_repeat(written), date(2027, 1, 16)) == said


def test_a_case_page_lists_each_activity_once_then_one_line_per_occurrence_by_month(sample_site, activities):
    html = page(sample_site, "cases/liujiabao-hongxin")
    series = html.select("ul.yp-activities > li")
    assert [s.select_one(".yp-activity__title").get_text() for s in series] == ["红色驿站双月服务日", "周五环境卫生集中整治"]
    # The rule in words, and one "add to my calendar" per activity, none per occurrence.
    assert [s.select_one(".yp-activity__when").get_text() for s in series] == ["每逢双月1日 09:00–12:00",
                                                                          "每周五 09:00–11:00"]
    links = [[a["href"] for a in s.select("a[download]")] for s in series]
    assert all(len(hrefs) == 1 and hrefs[0].startswith("events/") and hrefs[0].endswith(".ics") for hrefs in links)
    assert all(s.select_one(".yp-activity__ics").get_text() == "添加到我的日历" for s in series)
    agenda = html.select_one(".yp-agenda")
    assert not agenda.select(".yp-event__ics")
    # Month headings, each followed by its list; one <time datetime> per line, in that month.
    months = agenda.select(".yp-agenda__month")
    assert [m.get_text() for m in months] == ["2026年12月", "2027年1月"]
    lines = []
    for heading in months:
        listing = heading.find_next_sibling()
        assert listing.name == "ol" and "yp-agenda__list" in listing["class"]
        year, month = heading.get_text().removesuffix("月").split("年")
        for li in listing.select(":scope > li"):
            times = li.select("time[datetime]")
            assert len(times) == 1 and times[0]["datetime"].startswith(f"{year}-{int(month):02d}-")
            lines.append(li)
    own = [o for o in activities["occurrences"] if o["case"] == "liujiabao-hongxin"
           and (o["end"] or o["start"])[:10] >= activities["reference"]]
    assert [li.time["datetime"] for li in lines] == [o["start"] for o in own][:8]
    for li, occurrence in zip(lines, own, strict=False):
        assert li.select_one(".yp-event__title").get_text() == occurrence["title"]
        assert li.select_one(".yp-event__place").get_text() == occurrence["location"]
        assert li.select_one(".yp-event__time").get_text() == occurrence["start"][11:16] + "–" + occurrence["end"][11:16]
        assert li.select_one(".yp-example").get_text() == "示例活动"   # the sample's activities are examples
    # The month grid stays (calendar.js draws it from the page's data).
    assert html.select_one(".yp-month[data-window-from]") and html.select_one("script.yp-agenda__data")


def test_an_rrule_is_said_in_words_on_its_case_page(sample_site):
    html = page(sample_site, "cases/liwan-suiyue-station")
    rules = {s.select_one(".yp-activity__title").get_text(): s.select_one(".yp-activity__when").get_text()
             for s in html.select("ul.yp-activities > li")}
    assert rules["随约服务驿站线上答疑"] == "每两周的周二 19:30–20:30"
    assert rules["重阳节街坊客厅敬老活动"] == "每年重阳节 09:30–12:00"


def test_a_street_page_has_the_same_compact_agenda(sample_site):
    html = page(sample_site, "streets/qingcheng-zhouxin")
    agenda = html.select_one(".yp-agenda")
    assert agenda.select(".yp-agenda__month") and agenda.select(".yp-agenda__list > li.yp-event .yp-event__case")
    assert not agenda.select(".yp-event__ics")


def test_the_calendar_page_shows_the_grid_before_the_agenda_and_labelled_filters(sample_site):
    text = (sample_site / "calendar" / "index.html").read_text(encoding="utf-8")
    assert text.index('class="yp-month__grid"') < text.index('class="yp-agenda yp-agenda--month"')
    html = BeautifulSoup(text, "html.parser")
    form = html.select_one("form.yp-filters")
    assert form.has_attr("hidden")   # calendar.js shows it: the filters need it
    assert form.select_one("fieldset > legend").get_text() == "筛选活动"
    for select in form.select("select"):
        assert form.select_one(f"label[for={select['id']}]").get_text()
    streets = {o["value"]: o.get_text() for o in form.select("select[name=street] option") if o["value"]}
    assert streets == {"anning-liujiabao": "刘家堡街道", "huishan-yuqi": "玉祁街道", "qingcheng-zhouxin": "洲心街道"}
    assert "社区营造" in [o["value"] for o in form.select("select[name=theme] option")]
    # A subscription per street: its own feed.
    subscriptions = {li.a.get_text(): li.select("a[download]")[0]["href"] for li in html.select(".yp-subscriptions li")}
    assert subscriptions == {name: f"../streets/{slug}/calendar.ics" for slug, name in streets.items()}


def test_a_streets_feed_holds_only_its_streets_activities(sample_site, activities, month_series):
    street_of = {s["url"]: s.get("street") for s in month_series}
    expected = defaultdict(set)
    for occurrence in activities["occurrences"]:
        street = street_of[f"cases/{occurrence['case']}/"]
        if street:
            expected[street].add(occurrence["uid"])
    assert len(expected) == 3
    for street, uids in expected.items():
        feed = icalendar.Calendar.from_ical((sample_site / "streets" / street / "calendar.ics").read_bytes())
        assert {str(e["UID"]) for e in feed.walk("VEVENT")} == uids, street


def test_the_month_files_carry_street_and_themes(month_series):
    assert all(isinstance(s["themes"], list) and s["themes"] for s in month_series)
    assert {s["street"] for s in month_series if "street" in s} == {"anning-liujiabao", "huishan-yuqi",
                                                                   "qingcheng-zhouxin"}


def test_filters_choose_street_theme_and_month_in_the_url(sample_site, month_series):
    january = json.loads((sample_site / "calendar" / "data" / "2027-01.json").read_text(encoding="utf-8"))

    def expected(street: str = "", theme: str = "") -> list[tuple[str, str]]:
        rows = [(january["series"][i], start) for i, start, _ in january["at"]]
        return [(s["title"], start) for s, start in rows
                if (not street or s.get("street") == street) and (not theme or theme in s["themes"])]

    def shown(page) -> list[tuple[str, str]]:
        return page.locator(".yp-agenda--month .yp-event").evaluate_all(
            "items => items.map(li => [li.querySelector('.yp-event__title').textContent,"
            " li.querySelector('time').getAttribute('datetime')])")

    with serve(sample_site) as base, browser() as chromium:
        context = chromium.new_context(viewport={"width": 390, "height": 844})
        context.add_init_script(RECORD)
        page = context.new_page()
        page.clock.set_fixed_time(NOW)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + "calendar/")
        page.get_by_label("街道", exact=True).wait_for()     # shown by calendar.js
        page.wait_for_function("() => document.querySelectorAll('.yp-agenda--month .yp-event').length > 0")
        assert [tuple(x) for x in shown(page)] == expected() and len(expected()) > 3
        assert page.get_by_label("月份", exact=True).input_value() == "2027-01"

        page.get_by_label("街道", exact=True).select_option("qingcheng-zhouxin")
        page.wait_for_url("**/calendar/?street=qingcheng-zhouxin&month=2027-01")
        page.wait_for_function("() => document.querySelector('.yp-agenda__count').textContent.includes('符合条件')")
        by_street = expected("qingcheng-zhouxin")
        assert [tuple(x) for x in shown(page)] == by_street and 0 < len(by_street) < len(expected())

        page.get_by_label("主题", exact=True).select_option("社区营造")
        page.wait_for_url("**/calendar/?street=qingcheng-zhouxin&theme=*&month=2027-01")
        query = parse_qs(urlparse(page.url).query)
        assert query == {"street": ["qingcheng-zhouxin"], "theme": ["社区营造"], "month": ["2027-01"]}
        both = expected("qingcheng-zhouxin", "社区营造")
        page.wait_for_function(f"() => document.querySelectorAll('.yp-agenda--month .yp-event').length === {len(both)}")
        assert [tuple(x) for x in shown(page)] == both and 0 < len(both) < len(by_street)
        # The grid shows the same choice.
        grid = page.locator(".yp-month__grid .yp-month__event").evaluate_all("es => es.length")
        assert grid == len(both)

        # A reload of the address restores the choice.
        page.reload()
        page.wait_for_function(f"() => document.querySelectorAll('.yp-agenda--month .yp-event').length === {len(both)}")
        assert page.get_by_label("街道", exact=True).input_value() == "qingcheng-zhouxin"
        assert page.get_by_label("主题", exact=True).input_value() == "社区营造"
        assert [tuple(x) for x in shown(page)] == both

        # The month buttons step the month in the URL; back and forward step through the choices.
        page.get_by_role("button", name="下个月").click()
        page.wait_for_url("**month=2027-02")
        page.wait_for_function("() => document.querySelector('.yp-month__grid caption').textContent === '2027年2月'")
        assert page.get_by_label("月份", exact=True).input_value() == "2027-02"
        page.go_back()
        page.wait_for_url("**month=2027-01")
        page.wait_for_function("() => document.querySelector('.yp-month__grid caption').textContent === '2027年1月'")
        page.go_back()
        page.wait_for_url("**/calendar/?street=qingcheng-zhouxin&month=2027-01")
        page.wait_for_function(f"() => document.querySelectorAll('.yp-agenda--month .yp-event').length === {len(by_street)}")
        assert page.get_by_label("主题", exact=True).input_value() == ""
        page.go_forward()
        page.wait_for_function(f"() => document.querySelectorAll('.yp-agenda--month .yp-event').length === {len(both)}")
        assert page.get_by_label("主题", exact=True).input_value() == "社区营造"

        # 清除筛选 keeps the month; a street or a month that does not exist is ignored.
        page.get_by_role("button", name="清除筛选").click()
        page.wait_for_url("**/calendar/?month=2027-01")
        page.goto(base + "calendar/?street=nowhere&theme=x&month=2031-05")
        page.wait_for_function("() => document.querySelectorAll('.yp-agenda--month .yp-event').length > 0")
        assert page.get_by_label("街道", exact=True).input_value() == "" and page.get_by_label("月份", exact=True).input_value() == "2027-01"
        assert errors == [] and page.evaluate("window.__csp") == []
        context.close()


def test_the_agenda_scales_in_elder_mode(sample_site):
    with serve(sample_site) as base, browser() as chromium:
        page = chromium.new_page(viewport={"width": 390, "height": 844})
        page.clock.set_fixed_time(NOW)
        page.goto(base + "cases/zhouxin-lianjiang/")
        size = ("() => ['.yp-event__title', '.yp-event__when', '.yp-activity__when', '.yp-activity__ics']"
                ".map(s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))")
        before = page.evaluate(size)
        page.get_by_role("button", name="长辈模式").click()
        after = page.evaluate(size)
        assert all(a >= 1.25 * b for a, b in zip(after, before, strict=True)), (before, after)
