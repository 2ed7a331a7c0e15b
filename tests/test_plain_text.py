"""A plain-text field is text in every output, whatever it holds.

The fields are found in the models (every field typed Text or Summary, in cases, street
profiles and the taxonomy), so a new one is covered without touching this file. Hypothesis
fills each with text full of Markdown and HTML syntax, the site is built, and:

* every page holds only elements and attributes that the templates write (the set seen in
  a build of the same record with harmless text), no ``on…`` handler and no script URL;
* each value appears, exactly as the record holds it, in the pages' text or attributes;
* the JSON API, the Atom feed, the iCalendar feed, the search index and the starter file
  hold the values as they are.

A browser test then hovers and clicks every heading and link of such a case in Chromium
and proves that nothing ran.
"""

from __future__ import annotations

import gzip
import json
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import icalendar
import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from yipin.content.fields import field_at
from yipin.content.models import Case, Street, Summary, Taxonomy, Text
from yipin.content.models.base import submodel
from yipin.content.reader import read_document
from yipin.content.validate import validate_content

from .browser import browser, serve
from .conftest import FIXTURE_CONTENT, build, make_content, site_config
from .test_csp import RECORD as RECORD_CSP

TEXT_VALIDATORS = {id(Text.__metadata__[0]), id(Summary.__metadata__[0])}
Path_ = tuple[str | int, ...]


def _is_text(annotation: Any, metadata: list[Any] = ()) -> bool:
    """Typed Text or Summary: pydantic keeps a field's own Annotated metadata apart (metadata)."""
    if any(id(meta) in TEXT_VALIDATORS for meta in (*metadata, *getattr(annotation, "__metadata__", ()))):
        return True
    return any(_is_text(arg) for arg in typing.get_args(annotation))


def _is_list(annotation: Any) -> bool:
    if typing.get_origin(annotation) is list:
        return True
    return any(_is_list(arg) for arg in typing.get_args(annotation) if arg is not type(None))


def text_paths(model: type[BaseModel], prefix: Path_ = ()) -> Iterator[Path_]:
    """Every plain-text field of ``model``, lists at their first item."""
    for name, info in model.model_fields.items():
        path = (*prefix, info.alias or name, *((0,) if _is_list(info.annotation) else ()))
        inner = submodel(info.annotation)
        if inner is not None:
            yield from text_paths(inner, path)
        elif _is_text(info.annotation, info.metadata):
            yield path


def limits(model: type[BaseModel], path: Path_) -> tuple[int, int]:
    spec = field_at(model, path)
    assert spec is not None and "maxLength" in spec.schema, (model, path, spec)
    return spec.schema.get("minLength", 1), spec.schema["maxLength"]


CASE_PATHS = [p for p in text_paths(Case) if field_at(Case, p).kind != "term"]  # terms: the taxonomy's
STREET_PATHS = [p for p in text_paths(Street) if p[0] not in ("name", "region")]  # those are the case's street
TERM_PATHS = list(text_paths(Taxonomy))


def test_the_plain_fields_are_found_in_the_models():
    assert ("brand", "name") in CASE_PATHS and ("replication", "steps", 0) in CASE_PATHS
    assert ("story", "practices", 0, "body") not in CASE_PATHS  # Markdown
    assert ("activities", 0, "repeat") not in CASE_PATHS       # a code, checked by its own rules
    assert len(CASE_PATHS) >= 28 and ("themes", 0, "description") in TERM_PATHS


# -- records ----------------------------------------------------------------------------------

def _set(data: Any, path: Path_, value: Any) -> None:
    for i, part in enumerate(path[:-1]):
        nxt = path[i + 1]
        if isinstance(data, list):
            while len(data) <= part:
                data.append({} if isinstance(nxt, str) else [])
            data = data[part]
        else:
            data = data.setdefault(part, {} if isinstance(nxt, str) else [])
    if isinstance(data, list):
        del data[path[-1]:]
        data.append(value)
    else:
        data[path[-1]] = value


BASE = read_document(FIXTURE_CONTENT / "cases" / "base.yaml")[0].data


def write_site(folder: Path, case: dict[Path_, str], street: dict[Path_, str], terms: dict[Path_, str]) -> Path:
    """The fixture content with every plain field of one case, its street profile and the
    taxonomy set from the three maps (field path → text)."""
    content = make_content(folder)
    record = json.loads(json.dumps(BASE))
    record["activities"][0].update({"start": "2022-12-02 09:00", "until": "2023-06-30"})  # inside the window
    for path, text in case.items():
        _set(record, path, text)
    theme, group = terms[("themes", 0, "term")], terms[("groups", 0, "term")]
    record["themes"], record["groups"] = [theme], [group]
    taxonomy: dict[str, Any] = {}
    for path, text in terms.items():
        _set(taxonomy, path, text)
    profile: dict[str, Any] = {"name": record["community"]["region"]["street"],
                               "region": {k: record["community"]["region"][k] for k in ("province", "city", "district")}}
    for path, text in street.items():
        _set(profile, path, text)
    dump = {"allow_unicode": True, "sort_keys": False, "width": 10_000}
    (content / "cases" / "base.yaml").write_text(yaml.safe_dump(record, **dump), encoding="utf-8")
    (content / "taxonomy.yaml").write_text(yaml.safe_dump(taxonomy, **dump), encoding="utf-8")
    (content / "streets").mkdir(exist_ok=True)
    (content / "streets" / "street.yaml").write_text(yaml.safe_dump(profile, **dump), encoding="utf-8")
    return content


def harmless(model: type[BaseModel], paths: list[Path_], mark: str) -> dict[Path_, str]:
    return {path: (f"{mark}{i}号" + "样例" * 20)[: max(limits(model, path)[0], 5)] for i, path in enumerate(paths)}


# Markdown, HTML and template syntax, and the attacks of the issue; joined with plain words.
PAYLOADS = [
    "[x](javascript:alert(1))", "![](https://evil.example/a.png)", "{: onclick=alert(2)}", "{#id .md-button}",
    "<img src=x onerror=alert(3)>", "<script>alert(4)</script>", "<b>粗</b>", "&amp;", "&#60;", "&lt;",
    "a | b", "**粗**", "_斜_", "`代码`", "---", "--", "...", "\\*", ":smile:", "==标==", "^^上^^", "~~删~~",
    "$x$", "<!--", "]]>", "{{ x }}", "{% x %}", "[[链]]", "<https://evil.example/>", "javascript:alert(5)",
    "data:text/html,x", "# 标题", "1. 列表", "> 引用", "- 项", "+ 项", "!!! note", "\"引号'", "%s", "#",
]
WORDS = st.sampled_from(["社区", "品牌", "居民", "活动", "服务", "治理", "abc", "123", "，", "：", "“", "（", " "])
PIECE = st.one_of(st.sampled_from(PAYLOADS), WORDS,
                  st.text(alphabet=st.characters(codec="ascii", categories=("P", "S", "L", "N")), max_size=6))


def hostile(low: int, high: int, mark: str) -> st.SearchStrategy[str]:
    """Text of ``low`` to ``high`` characters, trimmed, starting with a unique mark."""
    def build(pieces: list[str]) -> str:
        text = mark + "".join(pieces)
        floor = low + text.count(" ")  # the summary drops spaces between Chinese characters
        return (text + "字" * floor)[: max(floor, min(high, len(text)))].strip()

    return st.lists(PIECE, min_size=1, max_size=8).map(build)


def values(model: type[BaseModel], paths: list[Path_], prefix: str) -> st.SearchStrategy[dict[Path_, str]]:
    return st.fixed_dictionaries({path: hostile(*limits(model, path), f"{prefix}{i}号")
                                  for i, path in enumerate(paths)})


def term_values() -> st.SearchStrategy[dict[Path_, str]]:
    # A term and its aliases must differ from every other word of the taxonomy: distinct marks.
    return values(Taxonomy, TERM_PATHS, "词")


# -- what a built site shows -----------------------------------------------------------------

def html_pages(site: Path) -> dict[str, BeautifulSoup]:
    return {p.relative_to(site).as_posix(): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
            for p in site.rglob("*.html") if not {"pagefind", "admin"} & set(p.parts)}


def structure(pages: dict[str, BeautifulSoup]) -> set[tuple[str, str]]:
    return {(tag.name, attribute) for soup in pages.values() for tag in soup.find_all(True)
            for attribute in ("", *tag.attrs)}


def shown(pages: dict[str, BeautifulSoup]) -> str:
    parts = []
    for soup in pages.values():
        parts.append(soup.get_text())
        parts += [value if isinstance(value, str) else " ".join(value)
                  for tag in soup.find_all(True) for value in tag.attrs.values()]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def harmless_structure(tmp_path_factory) -> set[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("harmless")
    content = write_site(folder, harmless(Case, CASE_PATHS, "甲"), harmless(Street, STREET_PATHS, "乙"),
                         harmless(Taxonomy, TERM_PATHS, "丙"))
    return structure(html_pages(build(site_config(folder, content))))


def held(content: Path) -> tuple[Case, Street, Taxonomy]:
    """The records as validated: the values every output must show."""
    loaded = validate_content(content)
    return loaded.cases[0].record, loaded.streets[0].record, loaded.taxonomy


def value_at(record: Any, path: Path_) -> str:
    for part in path:
        record = record[part] if isinstance(part, int) else getattr(record, part) if not isinstance(record, dict) \
            else record[part]
    return record


def _by_alias(record: BaseModel) -> dict[str, Any]:
    return record.model_dump(mode="json", by_alias=True)


def check_outputs(site: Path, content: Path, allowed: set[tuple[str, str]]) -> None:
    case, street, taxonomy = held(content)
    pages = html_pages(site)
    extra = structure(pages) - allowed
    assert extra == set(), f"elements or attributes no template writes: {sorted(extra)}"
    for page, soup in pages.items():
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                assert not name.startswith("on"), (page, tag.name, name)
                text = value if isinstance(value, str) else " ".join(value)
                assert not text.strip().lower().startswith(("javascript:", "data:text")), (page, tag.name, name)
    everything = shown(pages)
    for model, record, paths in ((Case, case, CASE_PATHS), (Street, street, STREET_PATHS), (Taxonomy, taxonomy, TERM_PATHS)):
        data = _by_alias(record)
        for path in paths:
            text = value_at(data, path)
            assert text in everything, f"{model.__name__} {path}: {text!r} is not on any page as it is"
    # The headless outputs hold the values as they are.
    api = json.loads((site / "api" / "v1" / "cases" / "base.json").read_text(encoding="utf-8"))
    assert api["record"] == case.model_dump(mode="json", by_alias=True, exclude_none=True)
    feed = ElementTree.parse(site / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    entry = feed.find(f"{atom}entry")
    assert entry.find(f"{atom}title").text == f"{case.brand.name}（{case.community.name}）"
    assert entry.find(f"{atom}summary").text == case.summary
    event = next(iter(icalendar.Calendar.from_ical((site / "cases" / "base" / "calendar.ics").read_bytes()).walk("VEVENT")))
    assert str(event["SUMMARY"]) == case.activities[0].title
    assert str(event["LOCATION"]) == case.activities[0].location
    assert [str(c) for c in event["CATEGORIES"].cats] == [case.brand.name]
    meta = pagefind_meta(site, "/cases/base/")
    assert (meta["title"], meta["slogan"], meta["community"]) == (case.brand.name, case.brand.slogan, case.community.name)
    starter = read_document(site / "cases" / "base" / "starter.yaml")[0].data
    assert [p["title"] for p in starter["story"]["practices"]] == [p.title for p in case.story.practices]
    assert starter["replication"]["steps"] == list(case.replication.steps)


def pagefind_meta(site: Path, url: str) -> dict[str, str]:
    for fragment in (site / "pagefind" / "fragment").iterdir():
        data = json.loads(gzip.decompress(fragment.read_bytes())[len("pagefind_dcd"):])
        if data["url"] == url:
            return data["meta"]
    raise AssertionError(f"{url} is not in the search index")


RUNS = {"built": 0}
# Each example is a whole build: a failure is reported as found, not shrunk for minutes.
NO_SHRINKING = (Phase.explicit, Phase.reuse, Phase.generate)


@settings(max_examples=12, deadline=None, phases=NO_SHRINKING, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                  HealthCheck.function_scoped_fixture])
@given(case=values(Case, CASE_PATHS, "案"), street=values(Street, STREET_PATHS, "街"), terms=term_values())
def test_plain_text_stays_text_in_every_output(case, street, terms, harmless_structure, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    content = write_site(folder, case, street, terms)
    site = build(site_config(folder, content))
    RUNS["built"] += 1
    check_outputs(site, content, harmless_structure)


# -- in the browser ---------------------------------------------------------------------------

ATTACKS = {
    ("brand", "name"): "<img src=x onerror=\"window.__ran=1\">[点](javascript:__ran=2)",
    ("brand", "slogan"): "口号{: onmouseover=\"window.__ran=3\"}<svg onload=window.__ran=4>",
    ("community", "name"): "社区<a href=\"javascript:window.__ran=5\">链接</a>",
    ("story", "practices", 0, "title"): "做法 {: onclick=\"window.__ran=6\" .md-button}",
    ("partners", 0, "name"): "[单位](javascript:window.__ran=7)",
    ("replication", "steps", 0): "<a href=# onclick=\"window.__ran=8\">第一步</a>",
    ("sources", 0, "title"): "报道\" onmouseover=\"window.__ran=9",
    ("activities", 0, "title"): "活动<b onmouseover=\"window.__ran=10\">悬停</b>",
    ("summary",): "简介写着&amp;和<b onclick=\"window.__ran=11\">粗体</b>" + "样例" * 10,
}


def test_hovering_and_clicking_a_hostile_case_runs_nothing(tmp_path):
    values_ = {**harmless(Case, CASE_PATHS, "甲"), **ATTACKS}
    content = write_site(tmp_path, values_, harmless(Street, STREET_PATHS, "乙"), harmless(Taxonomy, TERM_PATHS, "丙"))
    site = build(site_config(tmp_path, content))
    with serve(site) as base, browser() as chromium:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(RECORD_CSP)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(base + "cases/base/")
        # From here on the page stays: a link's navigation or download is answered 204 No Content.
        page.route("**/*", lambda route: route.fulfill(status=204) if route.request.is_navigation_request()
                   or route.request.url.endswith((".ics", ".yaml")) else route.continue_())
        main = page.locator("article")
        for href in main.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
            assert href is None or not href.strip().lower().startswith("javascript:"), href
        targets = main.locator("h1, h2, h3, a, strong, span, li, cite, figcaption")
        for i in range(targets.count()):
            target = targets.nth(i)
            if target.is_visible():
                target.hover()
                target.click(no_wait_after=True)
                page.keyboard.press("Escape")  # a picture's link opens the lightbox
        text = page.locator("h1").inner_text()
        ran = [page.evaluate("window.__ran")]
        violations = page.evaluate("window.__csp")
        # The search results: Pagefind's excerpt, shown as the text it is.
        page.unroute("**/*")
        page.goto(base + "cases/?q=%E7%AE%80%E4%BB%8B")  # 简介
        page.wait_for_selector("[data-yp-results][aria-busy=false] .yp-card", state="attached")
        excerpt = page.locator(".yp-card__summary").first.inner_text()
        page.locator(".yp-card__summary").first.hover()
        ran.append(page.evaluate("window.__ran"))
        violations += page.evaluate("window.__csp")
        context.close()
    assert (ran, dialogs, violations) == ([None, None], [], [])
    assert ATTACKS[("brand", "name")] in text
    assert "简介写着&amp;和<b onclick=" in excerpt
