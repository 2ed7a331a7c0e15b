"""What `yipin check` accepts, `yipin build` builds.

Hypothesis makes records from the models: the fixture case with every optional field
filled, then a few fields at a time set to what staff really have and what breaks outputs —
text with Markdown, HTML, line breaks, escapes and the longest allowed length; the extreme
numbers and dates; odd repeat rules and time zones; and pictures from a small generated set
(panoramas, strips, a very tall infographic, 16-bit, palette, animated, CMYK, broken). Each
value is chosen by the kind of the field (tests/test_plain_text.py finds the kinds the same
way, from the models), so most records are valid or nearly valid. Whenever the check passes,
the full build (MkDocs, images, calendars, Pagefind) must pass too; when it fails, every
error is one positioned Chinese line.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from yipin.content.fields import field_at
from yipin.content.models import Case
from yipin.content.recurrence import ACCEPTED_FORMS, FESTIVALS
from yipin.content.validate import validate_content
from yipin.errors import ContentErrors

from .conftest import FIXTURE_CONTENT, build, make_content, site_config
from .image_fixtures import animation, camera_jpeg, cmyk_jpeg, grey16_png, palette_png, tiny_jpeg
from .test_plain_text import NO_SHRINKING, PAYLOADS, _set

LINE = re.compile(r"^[^:]+:\d+:\d+: (\S+: )?.*[\u4e00-\u9fff].*$")

# The fixture case with every optional field, so every field can be reached by a mutation.
FULL = {
    "id": "base", "status": "published",
    "brand": {"name": "样例品牌", "slogan": "样例口号", "launched": "2021-12", "logo": "images/base/logo.png"},
    "community": {"name": "样例社区", "kind": "urban", "population": 24000, "households": 8000, "area_km2": 1.5,
                  "region": {"province": "广东省", "city": "清远市", "district": "清城区", "street": "样例街道"}},
    "summary": "这是一个用于测试的样例案例，它的每个字段都是合法的，用来作为错误样本的基准，不应出现任何错误。",
    "themes": ["党建引领", "社区营造"], "groups": ["老年人"],
    "partners": [{"name": "样例共建单位", "role": "共建单位"}],
    "story": {"background": "背景说明。", "practices": [{"title": "第一项做法", "body": "做法内容。"}], "outcomes": "成效。"},
    "metrics": [{"label": "服务群众", "value": 30000, "unit": "人次", "as_of": "2022-11"}],
    "replication": {"fit": ["老旧小区"], "steps": ["摸清需求"], "resources": ["场地"], "cautions": ["注意安全"],
                    "contact": {"org": "样例居委会", "phone": "0763-0000000", "email": "a@example.org", "address": "某路1号"}},
    "activities": [{"title": "周五环境卫生整治", "description": "清理杂物", "location": "各小区", "start": "2022-12-02 09:00",
                    "duration": "2h", "repeat": "每周五", "until": "2023-12-31", "except": ["2022-12-09"],
                    "status": "confirmed"}],
    "gallery": [{"src": "images/base/logo.png", "alt": "样例图片", "caption": "说明", "credit": "来源",
                 "people": True, "consent": True}],
    "sources": [{"title": "样例报道", "publisher": "样例日报", "date": "2022-11-26", "url": "https://example.org/a.html"}],
    "updated": "2022-11-26",
}


def leaf_paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in leaf_paths(value, (*prefix, key))]
    if isinstance(data, list):
        return [p for i, value in enumerate(data) for p in leaf_paths(value, (*prefix, i))]
    return [prefix]


LEAVES = [p for p in leaf_paths(FULL) if p != ("id",)]


def _kind(path: tuple) -> str:
    spec = field_at(Case, path)
    assert spec is not None, path
    return spec.kind


# -- values, by the kind of field --------------------------------------------------------------

def text() -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(PAYLOADS), st.sampled_from(["\n", "\r\n", "  ", "\t", "\u2028", "\x85", "社区", "a"]),
                      st.text(max_size=8))
    return st.one_of(st.lists(piece, min_size=1, max_size=6).map("".join),
                     st.integers(1, 600).map(lambda n: "字" * n),                  # at and past the limits
                     st.sampled_from(["\ud800", "名称\x00", "\ufffe", "—" * 300_000, "|", " ", "",
                                      "- " * 600 + "列表", "1. " * 400, "> " * 3000, "[" * 5000 + "]" * 5000]))


# Numbers as YAML tokens, written unquoted into the file (raw()): PyYAML could not even write 10^5000.
NUMBERS = st.one_of(st.sampled_from(["0", "-1", "1", str(2**31 - 1), str(2**31), str(2**53), str(10**12), "9" * 19, "9" * 20,
                                     "9" * 5000, "0.5", "-0.0", "1.0e308", "1.0e-300", "1.0e999", ".inf", ".nan", "-.inf",
                                     "1,000", "0x1F", "1_000"]),
                    st.integers().map(str), st.floats(allow_nan=False, allow_infinity=False).map(repr)).map(lambda t: RAW % t)
RAW = "NUM⟦%s⟧"


def raw(text: str) -> str:
    """The YAML with each RAW-wrapped number written as its bare token."""
    return re.sub(r"""['"]?NUM⟦(.*?)⟧['"]?""", lambda m: m[1], text)
DATES = st.sampled_from(["2022-11-26", "2021", "2021-12", "2021年12月", "2024-02-29", "2023-02-29", "1900-01-01", "0001-01-01",
                         "9999-12-31", "2099-12-31", "1901-01-01", "2022-13-01", "2022-11-26 09:00", "2022-12-31 23:59"])
DATETIMES = st.sampled_from(["2022-12-02 09:00", "2022-12-02", "2024-02-29 23:59", "1901-01-01 00:00", "2099-12-31 23:59",
                             "1900-12-31", "2100-01-01", "9999-12-31 23:59", "0001-01-01", "2022-12-02 24:00"])
DURATIONS = st.sampled_from(["2h", "90m", "1h30m", "0m", "9999h", "0.01h", "100000h", "1.5小时", "2小时30分钟"])
REPEATS = st.sampled_from([form for form, _ in ACCEPTED_FORMS] + [f"每年{f.name}" for f in FESTIVALS.values()] + [
    "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3", "FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20230101T000000Z", "FREQ=DAILY;INTERVAL=999",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=12", "FREQ=MONTHLY;BYDAY=5FR",
    "FREQ=DAILY;BYYEARDAY=1;BYMONTHDAY=2", "每两周六", "每逢双月1日", "每年腊八节", "每年小年", "每月最后一个周日",
    "FREQ=WEEKLY;BYSETPOS=2;BYDAY=MO", "RRULE:FREQ=YEARLY", "每周", "FREQ=SECONDLY"])
ZONES = st.sampled_from(["Asia/Shanghai", "UTC", "Asia/Kathmandu", "Pacific/Kiritimati", "Etc/GMT+12", "America/St_Johns",
                         "Factory", "localtime", "../etc/passwd", "Asia/Urumqi", ""])
URLS = st.sampled_from(["https://example.org/a.html", "http://example.org/" + "a" * 2000, "https://例子.中国/文章",
                        "https://x/\"><script>alert(1)</script>", "https://example.org/a b", "javascript:alert(1)"])
IMAGES = ["panorama.jpg", "strip.jpg", "thin.png", "infographic.png", "grey16.png", "palette.png", "animation.gif",
          "cmyk.jpg", "pixel.png", "truncated.jpg", "text.jpg", "logo.png"]


def value_for(kind: str, path: tuple) -> st.SearchStrategy[Any]:
    if path[-1] == "tz":
        return ZONES
    if path[-1] == "repeat":
        return REPEATS
    return {
        "string": text(), "text": text(), "markdown": text(), "integer": NUMBERS, "number": NUMBERS,
        "date": DATES, "datetime": DATETIMES, "duration": DURATIONS, "url": URLS,
        "image": st.sampled_from(IMAGES).map(lambda name: f"images/odd/{name}"),
        "boolean": st.booleans(), "choice": st.sampled_from(["published", "draft", "urban", "street", "district",
                                                             "confirmed", "cancelled"]),
        "term": st.sampled_from(["党建引领", "党建", "志愿服务", "老年人", "儿童"]),
    }.get(kind, text())


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    record = json.loads(json.dumps(FULL))
    for path in draw(st.lists(st.sampled_from(LEAVES), min_size=1, max_size=4, unique=True)):
        _set(record, path, draw(value_for(_kind(path), path)))
    return record


# -- the odd pictures, made once --------------------------------------------------------------

@pytest.fixture(scope="module")
def odd_images(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("odd")
    camera_jpeg(folder / "panorama.jpg", (6000, 1000))
    tiny_jpeg(folder / "strip.jpg", (2000, 120))
    Image.new("RGB", (1700, 300), "#c8102e").save(folder / "thin.png")
    Image.linear_gradient("L").resize((10, 30000)).save(folder / "infographic.png")
    grey16_png(folder / "grey16.png")
    palette_png(folder / "palette.png", transparent=True)
    animation(folder / "animation.gif", "GIF")
    cmyk_jpeg(folder / "cmyk.jpg")
    Image.new("RGB", (1, 1)).save(folder / "pixel.png")
    (folder / "truncated.jpg").write_bytes(tiny_jpeg(folder / "whole.jpg").read_bytes()[:500])
    (folder / "text.jpg").write_text("这不是图片", encoding="utf-8")
    shutil.copy(Path(__file__).parent / "fixtures" / "content" / "images" / "base" / "logo.png", folder / "logo.png")
    return folder


RUNS = {"records": 0, "checked": 0, "built": 0}


@settings(max_examples=150, deadline=None, phases=NO_SHRINKING, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                  HealthCheck.function_scoped_fixture])
@given(record=records())
def test_what_check_accepts_builds(record, odd_images, tmp_path_factory):
    folder = tmp_path_factory.mktemp("record")
    content = make_content(folder)
    shutil.copytree(odd_images, content / "images" / "odd", copy_function=os.link)
    (content / "cases" / "base.yaml").write_text(
        raw(yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=10_000)), encoding="utf-8")
    RUNS["records"] += 1
    try:
        validate_content(content)
    except ContentErrors as exc:
        assert exc.errors and all(LINE.match(str(error)) for error in exc.errors), exc
        return
    RUNS["checked"] += 1
    build(site_config(folder, content, image_workers=1))   # raises on any failure
    RUNS["built"] += 1


def test_the_property_ran_builds(request):
    """Reported in the run's summary (and the closing note of issue 12): how many records
    were generated, passed the check and were built."""
    request.node.user_properties.append(("check_then_build_records", RUNS["records"]))
    request.node.user_properties.append(("check_then_build_built", RUNS["built"]))
    print("RUNS", RUNS)
    assert RUNS["records"] == 0 or RUNS["built"] > 0, RUNS


def test_a_name_written_as_a_block_scalar_builds_with_its_activities(tmp_path):
    """`name: |` ends the name with a line break, which icalendar refused in a summary."""
    content = make_content(tmp_path)
    case = content / "cases" / "base.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("  name: 样例品牌\n", "  name: |\n    样例品牌\n"),
                    encoding="utf-8")
    site = build(site_config(tmp_path, content))
    feed = (site / "cases" / "base" / "calendar.ics").read_text(encoding="utf-8")
    assert "CATEGORIES:样例品牌\n" in feed  # read_text turns CRLF into LF
    assert "<h1 id=\"样例品牌\">样例品牌" in (site / "cases" / "base" / "index.html").read_text(encoding="utf-8")


def test_a_build_in_the_same_process_never_reuses_another_sites_checked_content(tmp_path):
    """`yipin build` hands the plugin the content it has just checked, and MkDocs keeps the
    plugin's instance for the next build in the process: that build must read its own."""
    from yipin.commands.main import main

    first, second = tmp_path / "first", tmp_path / "second"
    shutil.copytree(FIXTURE_CONTENT, first / "content")
    shutil.copytree(FIXTURE_CONTENT, second / "content")
    (second / "content" / "cases" / "base.yaml").rename(second / "content" / "cases" / "other.yaml")
    record = second / "content" / "cases" / "other.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("id: base", "id: other"), encoding="utf-8")
    assert main(["build", "-f", str(site_config(first, first / "content"))]) == 0
    site = build(site_config(second, second / "content"))
    assert (site / "cases" / "other" / "index.html").is_file()
    assert not (site / "cases" / "base").exists()
