"""Render the site's pages as Markdown from the Jinja2 templates in themes/pages/ (a site
replaces any of them with a file of the same name in <custom_dir>/pages/).

The Markdown is plain enough for any generator: front matter, Markdown headings (so the
table of contents and anchors work) and HTML blocks for the layout. Every value a template
prints goes through plain.plain (the environment's finalize), so a record's plain text is
text in Markdown and HTML alike; record Markdown arrives rendered and sanitised by Prose.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from yipin.cache import BuildCache
from yipin.content.markdown import Prose
from yipin.content.models import KIND_LABELS, PartialDate
from yipin.content.recurrence import ACCEPTED_FORMS, FESTIVALS, weekday_name
from yipin.render.cards import cards_of
from yipin.render.charts import bar_chart
from yipin.render.guide import field_reference
from yipin.render.media import Media
from yipin.render.plain import front_matter, plain
from yipin.render.qr import qr_svg
from yipin.search.variants import simplified_variants
from yipin.site.derive import CaseView, Listed, Place, Site
from yipin.site.overview import by_kind, by_theme, by_year, latest, region_tree
from yipin.themes import PAGES

__all__ = ["template_folders", "render_pages", "relative_url", "number_text", "partial_date_text"]


def template_folders(overrides: Path | None) -> list[Path]:
    """Where page templates are looked for, first to last: the site's own, then Yipin's."""
    own = overrides / "pages" if overrides else None
    return [*([own] if own and own.is_dir() else []), PAGES]


def relative_url(from_url: str, to_url: str) -> str:
    """Link from one directory-style page URL ('cases/x/') to another ('streets/y/') or a
    file ('cases/x/starter.yaml'). Plain segment arithmetic: it runs for every link of every
    page, and posixpath.relpath took a tenth of the page rendering."""
    here = [part for part in from_url.split("/") if part]
    there = to_url.split("/")  # the last part is a file name, or "" for a directory
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:]) or "./"


def render_pages(site: Site, prose: Prose, cache: BuildCache, keys: Mapping[str | Place, str],
                 **features: Any) -> dict[str, bytes]:
    """docs-relative path → Markdown (UTF-8), for every generated page. ``features``
    (calendars, media, ...) are passed to every template by name. Case, street and district
    pages come from ``cache`` while their keys (build/keys.py: by case id and by place) hold."""
    env = _environment(prose, template_folders(site.settings.overrides),
                       cache.folder / "templates" if cache.folder else None)
    pages: dict[str, bytes] = {}
    media, calendar, copies = features.get("media"), features.get("calendar"), features.get("copies")
    env.globals["cards_of"] = partial(cards_of, media=media)

    def render(path: str, template: str, **context: Any) -> bytes:
        url = "" if path == "index.md" else path.removesuffix("index.md")
        markdown = env.get_template(template).render(site=site, page_url=url, **features, **context)
        return (markdown + simplified_variants(markdown)).encode()  # so traditional text is found

    def case_page(case: CaseView) -> bytes:
        address = site.settings.absolute(case.url)
        return render(f"{case.url}index.md", "case.md.j2", case=case, kind_label=KIND_LABELS[case.record.community.kind],
                      logo=media.logo(case) if media else None, thumbnail=media.thumbnail(case) if media else None,
                      qr=Markup(qr_svg(address, "本页二维码")), page_address=address,
                      learnt_from=copies.learnt_from(address) if copies else None,
                      copied_by=copies.copied_by(address) if copies else ())

    def place_page(place: Place) -> bytes:
        return render(f"{place.url}index.md", "place.md.j2", place=place, cases=site.cases_in(place),
                      district=site.district_of(place), streets=site.streets_in(place) if place.kind == "district" else (),
                      totals=_place_totals(site, place), listed=site.listed_in(place))

    cached_cases, cached_places = cache.table("case-pages"), cache.table("place-pages")
    for case in site.cases:
        pages[f"{case.url}index.md"] = cached_cases.get(keys[case.id], partial(case_page, case))
    for place in (*site.streets, *site.districts):
        pages[f"{place.url}index.md"] = cached_places.get(keys[place], partial(place_page, place))
    pages["cases/index.md"] = render("cases/index.md", "library.md.j2")
    pages["districts/index.md"] = render("districts/index.md", "districts.md.j2")
    pages["guide/fields.md"] = render("guide/fields.md", "fields.md.j2", sections=field_reference(),
                                      taxonomy={"themes": site.taxonomy.themes, "groups": site.taxonomy.groups},
                                      kinds=KIND_LABELS, repeat_forms=ACCEPTED_FORMS, festivals=FESTIVALS.values())
    if calendar is not None:
        pages["calendar/index.md"] = render("calendar/index.md", "calendar.md.j2")
    if features.get("members") is not None:
        pages["members/index.md"] = render("members/index.md", "members.md.j2")
    pages["index.md"] = render("index.md", "home.md.j2", **_home(site, media),
                               most_copied=copies.most_copied() if copies else ())
    for path in pages:
        if _FRONT_PAGE.match(path):
            pages[path] = _without_chrome(pages[path])
    return pages


# The pages people browse (home, library, regions, calendar) have no documentation chrome:
# Material hides the left navigation and the table of contents named in a page's front matter.
_FRONT_PAGE = re.compile(r"^(index|cases/index|calendar/index|(districts|streets)/([^/]+/)?index)\.md$")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*\n", re.DOTALL)
_HIDE = "hide:\n  - navigation\n  - toc\n"


def _without_chrome(page: bytes) -> bytes:
    """``page`` (Markdown) with ``hide: [navigation, toc]`` in its front matter, unless it
    says what to hide itself."""
    text = page.decode()
    found = _FRONT_MATTER.match(text)
    if not found:
        return f"---\n{_HIDE}---\n\n{text}".encode()
    if re.search(r"^hide[ \t]*:", found.group(1) or "", re.MULTILINE):
        return page
    start = text.index("\n") + 1
    return (text[:start] + _HIDE + text[start:]).encode()


def _home(site: Site, media: Media | None) -> dict[str, Any]:
    """The home page's context: the site's own words (docs/index.md: its front matter, first
    heading and the rest), the featured brand of the moment, and the site at a glance."""
    front, title, purpose, body = _split_intro(site.settings.home_intro)
    hero = site.featured[0] if site.featured else None
    alt = ""
    if isinstance(hero, CaseView) and media and media.thumbnail(hero):
        gallery = hero.record.gallery
        alt = gallery[0].alt if gallery else f"{hero.record.brand.name}的标志"
    years, undated = by_year(site)
    changed = latest(site)
    return dict(front=Markup(front), title=title or site.settings.site_name, purpose=purpose, intro=Markup(body),
                totals=site.totals, hero=cards_of([hero], media)[0] if hero else None, hero_alt=alt,
                hero_member=isinstance(hero, Listed), featured=site.featured[1:], regions=region_tree(site),
                themes=by_theme(site), kinds=by_kind(site), years=years, undated=undated,
                latest=list(zip(cards_of(changed, media), (c.updated for c in changed), strict=True)))


def _split_intro(text: str) -> tuple[str, str, str, str]:
    """docs/index.md → (its front matter as written, its first line's `# heading`, the front
    matter's description, the Markdown after the heading)."""
    found = _FRONT_MATTER.match(text)
    front, body = (found.group(0), text[found.end():]) if found else ("", text)
    try:
        meta = yaml.safe_load(found.group(1) or "") if found else {}
    except yaml.YAMLError:
        meta = {}
    purpose = str(meta.get("description") or "") if isinstance(meta, dict) else ""
    heading = re.match(r"\s*#[ \t]+(.+?)[ \t#]*(?:\n|$)", body)
    if not heading:
        return front, "", purpose, body
    return front, heading.group(1), purpose, body[heading.end():].strip() + "\n"


def _place_totals(site: Site, place: Place) -> dict[str, int]:
    keep = {"cases", "communities", "streets"} if place.kind == "district" else {"cases", "communities"}
    return {k: v for k, v in site.totals_in(place).items() if k in keep}


def _environment(prose: Prose, folders: list[Path], compiled: Path | None) -> Environment:
    """``compiled``: where Jinja keeps the templates' bytecode between builds (by source checksum)."""
    if compiled:
        compiled.mkdir(parents=True, exist_ok=True)
    env = Environment(loader=FileSystemLoader(folders), autoescape=True, finalize=plain, undefined=StrictUndefined,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                      bytecode_cache=FileSystemBytecodeCache(str(compiled)) if compiled else None)

    @pass_context
    def rel(context: Any, url: str) -> Markup:
        """A site-relative URL made relative to the page; another site's address stays as it is
        (a portal's links to its members), written as plain text like any value."""
        if url.startswith(("http://", "https://")):
            return plain(url)
        return escape(relative_url(context["page_url"], url))  # our own URLs: nothing of Markdown in them

    env.globals["bar_chart"] = bar_chart
    env.filters.update(
        rel=rel,
        md=lambda text: Markup(prose.html(text)),
        front_matter=front_matter,
        partial_date=partial_date_text,
        long_date=lambda day: f"{day.year}年{day.month}月{day.day}日",
        number=number_text,
        weekday=weekday_name,
    )
    return env


def partial_date_text(value: PartialDate) -> str:
    """2021年12月, as pages and the book print a partial date."""
    text = f"{value.year}年"
    if value.month:
        text += f"{value.month}月"
    if value.day:
        text += f"{value.day}日"
    return text


def number_text(value: float) -> str:
    """30,000 or 2.5, as pages and the book print a key figure."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
