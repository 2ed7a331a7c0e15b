"""The sample content says only what its articles say (issue 16), and says so where it adds
anything: the five articles are in content/sources/, each case cites them by title.

- Every number in a case or street record occurs in the text of the article it cites.
- An activity that is not in its article carries ``example: true``, and that mark reaches
  every output: the case page, the site calendar and its month grid, the API and the .ics.
- Drawn pictures say 示意图 in their alt text and caption; guessed contacts are marked.
"""

from __future__ import annotations

import json
import re
import unicodedata
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import icalendar
import jsonschema
import opencc
import pytest
import yaml
from bs4 import BeautifulSoup

from .conftest import REPO

CONTENT = REPO / "content"
SOURCES = CONTENT / "sources"
SAMPLE_CONTACT = "（样例联系单位："

# Fields whose digits are not facts taken from an article, with the reason:
SKIPPED = {
    "id", "status", "themes", "groups", "updated", "inspired_by",  # identifiers and vocabulary
    "logo", "src",                                                 # file paths (images/<case id>/…)
    "people", "consent",                                           # yes/no flags of a picture
    # An activity's times and schedule: the articles give none in the publishing window, so
    # they are invented, and the activity says so with ``example: true`` (tested below).
    "start", "end", "duration", "tz", "repeat", "until", "count", "except", "example",
}
# A source's date and address are where the article was found (004's date is only in its
# address, 2022/1107), not facts stated in its text.
SKIPPED_IN_SOURCES = {"date", "url"}

# A number that may stand in a record without occurring in its article: none so far. Add
# (case id, number, reason) only for a number derived from the article, and say how.
EXCEPTIONS: set[tuple[str, str]] = set()


# --- the articles ---------------------------------------------------------------------

@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normal(text: str) -> str:
    """For comparing text: full-width forms folded (NFKC: ，→, ０→0), no white space, and
    traditional characters as simplified (article 003 is in traditional Chinese)."""
    return re.sub(r"\s+", "", _t2s().convert(unicodedata.normalize("NFKC", text)))


def source_files() -> dict[str, Path]:
    """Source title → article file, from the list in content/sources/README.md."""
    readme = (SOURCES / "README.md").read_text(encoding="utf-8")
    found = dict(re.findall(r"^- `(\d{3}_[0-9a-f]{16}\.txt)` — [^《\n]*《(.+)》", readme, re.MULTILINE))
    return {title: SOURCES / name for name, title in found.items()}


@cache
def article(path: Path) -> str:
    return path.read_text(encoding="utf-8")


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(run: str) -> int | None:
    """十余 → 10, 两个 → 2, 一百多 → 100, 二十四万 → 240000; None for what is no one number
    (八九十年代 is a range)."""
    total, section, digit = 0, 0, None
    for char in run:
        if char in ("零", "〇") and section:
            continue
        if char in _DIGITS:
            if digit is not None:
                return None
            digit = _DIGITS[char]
        elif char in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        else:  # 万
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
    return total + section + (digit or 0)


def canonical(number: Decimal | int | float) -> str:
    return format(Decimal(str(number)).normalize(), "f")


def numbers_in(text: str, chinese: bool = False) -> set[str]:
    """The numbers written in ``text``: 4613, 95.47, 3万 as 30000 (and 3 when ``chinese``,
    for an article, which may say 截至11月 and 11万 in one breath); with ``chinese`` also
    numbers in Chinese numerals (两个服务站 → 2), so that a record may write them in digits."""
    text = unicodedata.normalize("NFKC", text)
    found = set()
    for match in re.finditer(r"\d+(?:\.\d+)?", text):
        value = Decimal(match.group())
        if text[match.end():match.end() + 1] == "万":
            found.add(canonical(value * 10000))
            if not chinese:
                continue
        found.add(canonical(value))
    if chinese:
        for match in re.finditer(r"[零〇一二两三四五六七八九十百千万]+", text):
            value = chinese_number(match.group())
            if value is not None:
                found.add(canonical(value))
    return found


@cache
def article_numbers(path: Path) -> frozenset[str]:
    return frozenset(numbers_in(article(path), chinese=True))


# --- the records ----------------------------------------------------------------------

def records() -> list[tuple[str, dict]]:
    files = sorted((CONTENT / "cases").glob("*.yaml")) + sorted((CONTENT / "streets").glob("*.yaml"))
    return [(f"{path.parent.name}/{path.stem}", yaml.safe_load(path.read_text(encoding="utf-8"))) for path in files]


RECORDS = records()
CASES = [(name, data) for name, data in RECORDS if name.startswith("cases/")]


def cited(data: dict) -> list[Path]:
    files = source_files()
    return [files[source["title"]] for source in data.get("sources", [])]


def values(data: Any, path: tuple[str, ...] = ()) -> list[tuple[str, Any]]:
    """(dotted path, value) of every string and number of a record outside SKIPPED."""
    if isinstance(data, dict):
        found = []
        for key, value in data.items():
            if key in SKIPPED or (path[:1] == ("sources",) and key in SKIPPED_IN_SOURCES):
                continue
            found += values(value, (*path, str(key)))
        return found
    if isinstance(data, list):
        return [item for index, value in enumerate(data) for item in values(value, (*path, str(index)))]
    if isinstance(data, bool) or data is None:
        return []
    return [(".".join(path), data)]


@pytest.mark.parametrize(("name", "data"), RECORDS, ids=[name for name, _ in RECORDS])
def test_every_source_is_one_of_the_articles_by_its_title(name, data):
    files = source_files()
    assert len(files) == 5 and all(path.is_file() for path in files.values())
    assert data["sources"], name
    for source in data["sources"]:
        assert source["title"] in files, f"{name}: source “{source['title']}” is not listed in content/sources/README.md"
        # The list is right: the title is the article's own (up to punctuation width and spaces).
        assert normal(source["title"]) in normal(article(files[source["title"]])), source["title"]


@pytest.mark.parametrize(("name", "data"), RECORDS, ids=[name for name, _ in RECORDS])
def test_every_number_in_a_record_occurs_in_the_cited_article(name, data):
    known = set().union(*(article_numbers(path) for path in cited(data)))
    missing = []
    for where, value in values(data):
        found = {canonical(value)} if isinstance(value, int | float) else numbers_in(str(value))
        missing += [(where, number) for number in sorted(found - known) if (name, number) not in EXCEPTIONS]
    assert not missing, f"{name}: numbers not in its article: {missing}"


def test_the_number_check_catches_what_issue_16_found():
    """The check is not vacuous: the facts the issue found unsupported would fail it."""
    assert "4613" in article_numbers(SOURCES / "002_b072d6e607ab5f01.txt")
    assert "26000" in article_numbers(SOURCES / "003_ac4e80d992e3a6fd.txt")
    assert numbers_in("近45910余人，11万人，两个") == {"45910", "110000"}
    assert numbers_in("二十四万，十余年，八九十年代", chinese=True) == {"240000", "10"}


def own_activities() -> list[tuple[str, dict]]:
    return [(name, activity) for name, data in CASES for activity in data.get("activities", [])]


def test_an_activity_not_in_its_article_is_marked_as_an_example():
    """Not an example: its title occurs in the cited article and so does its first date
    (2025年3月5日 or 3月5日). The articles are of 2020–2022, so every activity of the sample,
    in a window from 2025, is an example, including the two after what 004 describes."""
    activities = own_activities()
    assert activities
    for name, activity in activities:
        text = "".join(normal(article(path)) for path in cited(dict(CASES)[name]))
        start = str(activity["start"])[:10]
        year, month, day = (int(part) for part in start.split("-"))
        written = normal(activity["title"]) in text and (f"{month}月{day}日" in text or start in text)
        assert written or activity.get("example") is True, f"{name}: “{activity['title']}” needs example: true"


def test_the_example_mark_is_the_field_not_a_phrase():
    for name, activity in own_activities():
        prose = activity["title"] + (activity.get("description") or "")
        assert "示例" not in prose, f"{name}: “{activity['title']}” says 示例 in prose; example: true says it"


def test_drawn_pictures_say_so_and_no_drawn_logo_passes_for_the_brands():
    """Every picture of the sample is drawn (scripts/make_sample_images.py): its alt text and
    caption say 示意图, a monogram says it is not the official logo, and none is brand.logo
    (none of the articles shows a logo)."""
    shown = set()
    for name, data in CASES:
        assert data["brand"].get("logo") is None, name
        for image in data.get("gallery", []):
            shown.add(image["src"])
            assert "示意图" in image["alt"] and "示意图" in image["caption"], f"{name}: {image['src']}"
            if image["src"].endswith("/logo.png"):
                assert "标志示意图（非官方标志）" in image["alt"] and "非官方标志" in image["caption"]
    drawn = {path.relative_to(CONTENT).as_posix() for path in (CONTENT / "images").rglob("*.png")}
    assert drawn == shown


def test_guessed_contacts_are_marked_and_named_ones_are_in_the_article():
    for name, data in CASES:
        if "replication" not in data:
            continue
        org = data["replication"]["contact"]["org"]
        text = "".join(normal(article(path)) for path in cited(data))
        assert SAMPLE_CONTACT in org or normal(org) in text, f"{name}: contact “{org}” is neither in the article nor marked"


def test_region_names_are_in_the_article_or_said_to_be_added():
    readme = (CONTENT / "README.md").read_text(encoding="utf-8")
    for name, data in RECORDS:
        region = data["community"]["region"] if "community" in data else data["region"]
        text = "".join(normal(article(path)) for path in cited(data))
        for value in region.values():
            assert normal(value) in text or value in readme, f"{name}: {value}"


# --- the mark in every output ---------------------------------------------------------

@pytest.fixture(scope="module")
def example_titles() -> dict[str, bool]:
    return {activity["title"]: bool(activity.get("example")) for _, activity in own_activities()}


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_the_case_page_shows_the_badge(sample_site):
    checked = 0
    for name, data in CASES:
        if data.get("status") == "draft" or not data.get("activities"):
            continue
        items = page(sample_site, name).select(".yp-activities li")
        assert len(items) == len(data["activities"])
        for item, activity in zip(items, data["activities"], strict=True):
            assert item.select_one(".yp-activity__title").get_text() == activity["title"]
            badge = item.select_one(".yp-example")
            assert (badge is not None and badge.get_text() == "示例活动") == bool(activity.get("example"))
            checked += 1
        agenda = page(sample_site, name).select(".yp-agenda__list .yp-event")
        assert all(li.select_one(".yp-example") for li in agenda)
    assert checked > 5


def test_the_site_calendar_and_its_month_grid_show_the_badge(sample_site, example_titles):
    soup = page(sample_site, "calendar")
    events = soup.select(".yp-agenda__list .yp-event")
    assert events
    for event in events:
        title = event.select_one(".yp-event__title").get_text()
        assert (event.select_one(".yp-example") is not None) == example_titles[title], title
    cells = soup.select(".yp-month__event")
    assert cells
    for cell in cells:
        badge = cell.select_one(".yp-example")
        assert badge is not None and badge.get_text() == "示例"
        assert "yp-month__event--example" in cell["class"]
        assert example_titles[cell.get_text().removeprefix("示例")]
    # calendar.js draws the other months from these files: the mark is in them too.
    for path in (sample_site / "calendar" / "data").glob("*.json"):
        for series in json.loads(path.read_text(encoding="utf-8"))["series"]:
            assert series.get("example", False) is example_titles[series["title"]]


def test_the_api_says_example_and_its_schema_describes_it(sample_site, example_titles):
    schema = json.loads((sample_site / "schema" / "api" / "activities.schema.json").read_text(encoding="utf-8"))
    activities = json.loads((sample_site / "api" / "v1" / "activities.json").read_text(encoding="utf-8"))
    jsonschema.validate(activities, schema)
    described = schema["$defs"]["OccurrenceRecord"]["properties"]["example"]
    assert described["type"] == "boolean" and described["title"] == "示例活动"
    assert activities["occurrences"]
    for occurrence in activities["occurrences"]:
        assert occurrence["example"] is example_titles[occurrence["title"]]
    record = json.loads((sample_site / "api" / "v1" / "cases" / "zhouxin-lianjiang.json").read_text(encoding="utf-8"))
    assert [a["example"] for a in record["record"]["activities"]] == [True, True]


def test_the_ics_marks_examples_in_title_description_and_category(sample_site, example_titles):
    calendar = icalendar.Calendar.from_ical((sample_site / "calendar.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert events
    for event in events:
        summary = str(event["SUMMARY"])
        title = summary.removeprefix("【示例】")
        categories = [str(c) for c in event["CATEGORIES"].cats]
        assert example_titles[title] == summary.startswith("【示例】") == ("示例活动" in categories), summary
        if example_titles[title]:
            assert str(event["DESCRIPTION"]).startswith("示例活动：")
    single = sample_site / "cases" / "zhouxin-lianjiang" / "events"
    for path in single.glob("*.ics"):
        one = icalendar.Calendar.from_ical(path.read_bytes())
        assert str(one["X-WR-CALNAME"]).startswith("【示例】")


def test_a_portal_keeps_a_members_example_mark():
    """A member's activities.json says example: true; the portal's calendar pages and .ics
    say so too. A member of a Yipin without the field is read as it always was."""
    from yipin.api.models import ActivitiesResponse
    from yipin.calendar.ical import _remote_event
    from yipin.calendar.remote import remote_occurrences

    base = "https://zhouxin.example.org/"
    occurrence = {"case": "zhouxin-lianjiang", "title": "长者饭堂开放日", "start": "2024-05-10T09:00:00+08:00",
                  "end": "2024-05-10T11:00:00+08:00", "all_day": False, "location": None, "status": "confirmed",
                  "repeat": None, "tz": "Asia/Shanghai", "uid": "zhouxin-lianjiang-1@yipin", "brand": "连江营造计划",
                  "community": "连江社区", "url": base + "cases/zhouxin-lianjiang/", "ics": base + "a.ics"}
    older = {**occurrence, "uid": "zhouxin-lianjiang-2@yipin"}
    listed = ActivitiesResponse.model_validate({
        "version": 1, "reference": "2024-04-30", "window": {"from": "2024-01-01", "to": "2024-12-31"}, "count": 2,
        "occurrences": [{**occurrence, "example": True}, older]})
    example, plain = remote_occurrences("洲心", base, listed)
    assert example.series.page_fields["example"] is True and "example" not in plain.series.page_fields
    event = _remote_event(example.series, (example,))
    assert str(event["SUMMARY"]) == "【示例】长者饭堂开放日"
    assert "示例活动" in [str(c) for c in event["CATEGORIES"].cats]
    assert str(_remote_event(plain.series, (plain,))["SUMMARY"]) == "长者饭堂开放日"
