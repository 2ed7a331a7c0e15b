"""The pipeline in plain sight: load → validate → derive → render → (the caller) write.

    validate_content(content/)   every record read, checked, or ContentErrors
    read_network(settings)       a portal's members' published files; who copied whom elsewhere
    derive_site(content, settings, remote)
                                 published cases, places, dates, totals
    build_calendar(site)         activity occurrences in the publishing window
    prepare_images(...)          gallery and logo variants, from the cache or made in a pool
    prepare_posters(...)         each case's share poster, the same way
    render_pages / api_files / atom_feed / calendar_files / starter_yaml / kit_docx /
    cases_sheet / cms_files
                                 Markdown pages and files
    Build                        pages (Markdown, for MkDocs or any generator) + files
    index_built(build, site_dir)  once the generator has written the pages: the case pages'
                                 search text (api/v1/search.json), then Pagefind's index

Steps whose inputs have not changed since the last build take their results from the
build cache (yipin/cache.py; what each depends on: build/keys.py).

Nothing here imports MkDocs: the plugin hands Build.pages to MkDocs, `yipin export`
writes Build.pages and Build.files to a folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from yipin.api.files import API_VERSION, SEARCH_TEXT, api_files, manifest_files
from yipin.api.models import SearchPage
from yipin.api.sheet import SHEET, cases_sheet
from yipin.build.keys import case_keys, place_keys
from yipin.build.outputs import Outputs
from yipin.cache import BuildCache
from yipin.calendar.ical import calendar_files
from yipin.calendar.occurrences import ACTIVITIES_JSON, build_calendar
from yipin.config import Settings
from yipin.content.loaded import Content
from yipin.content.markdown import Prose
from yipin.content.validate import validate_content
from yipin.images import ImageCache, ImageChecker, prepare_images
from yipin.network.copies import copies_in, published_inspirations
from yipin.network.fetch import origin
from yipin.network.members import warn
from yipin.network.portal import member_entries, read_network, remote_cases
from yipin.render.cms import cms_files
from yipin.render.feeds import FEED_PATH, atom_feed
from yipin.render.kit_docx import KIT_DOCX, kit_docx
from yipin.render.media import Media, case_images, image_focus
from yipin.render.pages import render_pages
from yipin.render.poster import POSTER, prepare_posters
from yipin.render.starter import starter_yaml
from yipin.search.index import index_site
from yipin.search.text import search_text
from yipin.site.derive import CaseView, Site, derive_site

__all__ = ["Build", "build_site", "check_site", "index_built"]


@dataclass(frozen=True)
class Build:
    site: Site
    pages: Outputs    # Markdown pages, docs-relative ("cases/x/index.md")
    files: Outputs    # every other output, site-relative ("api/v1/cases.json")
    origins: tuple[str, ...] = ()   # a portal's members' sites, which its pages load from (csp.py)
    member_pages: tuple[SearchPage, ...] = ()   # a portal's members' case pages, for its search index


def check_site(settings: Settings) -> Content:
    """The content of a site, validated with its caches (`yipin check`, and a build's first step)."""
    return validate_content(settings.content, _checker(settings), BuildCache(settings.build_cache_dir))


def _checker(settings: Settings) -> ImageChecker:
    return ImageChecker(ImageCache(settings.image_cache_dir), settings.image_max_pixels)


def build_site(settings: Settings, content: Content | None = None) -> Build:
    """``content``: settings.content already validated by the caller (`yipin build` checks
    first to print errors plainly), so thousands of files are not read twice."""
    images = _checker(settings)
    cache = BuildCache(settings.build_cache_dir)
    content = content or validate_content(settings.content, images, cache)
    network = read_network(settings)
    site = derive_site(content, settings, remote_cases(network.members))
    media = Media(prepare_images(settings.content, case_images(site), images.cache, settings.image_workers,
                                 focus=image_focus(site)))
    posters = prepare_posters(site, images.cache, settings.image_workers)
    prose = Prose(settings.markdown_extensions, settings.markdown_configs)
    pages, files = Outputs(), Outputs()
    calendar = build_calendar(site, cache, network.occurrences)
    published = published_inspirations(site, network.members_inspirations(), warn)   # the manifest's
    copies = copies_in(site, [*published, *network.peer_inspirations()])
    keys = case_keys(site, media, calendar, copies)
    members = network.members if settings.members else None
    pages.update_from(render_pages(site, prose, cache, {**keys, **place_keys(site, keys, calendar)},
                                   calendar=calendar, media=media, copies=copies, members=members))
    files.update_from(calendar_files(calendar, cache, keys))
    files.add(ACTIVITIES_JSON, calendar.api_json())
    files.update_from(calendar.month_files())
    files.update_from(api_files(site, prose, cache, keys, media))
    files.update_from(manifest_files(site, len(calendar.occurrences),
                                     published,
                                     member_entries(members) if members is not None else None))
    files.add(SHEET, cases_sheet(site))
    files.add(FEED_PATH, atom_feed(site))
    files.add("robots.txt", _robots(settings))
    for path, source in media.files():
        files.add_file(path, source)
    for case in site.cases:
        files.add_file(f"{case.url}{POSTER}", posters[case.id])
    files.update_from(cms_files(settings, site.taxonomy))
    starters = cache.table("starters")
    for case in site.cases:
        files.add(f"{case.url}starter.yaml", starters.get(keys[case.id], partial(_starter, case, settings)))
    kits = cache.table("kits")
    for case in site.cases:
        files.add(f"{case.url}{KIT_DOCX}", kits.get(keys[case.id], partial(
            kit_docx, case, settings.absolute(case.url), settings.organisation)))
    cache.save()
    return Build(site, pages, files, tuple(sorted({origin(m.url) for m in members or () if m.manifest} - {None})),
                 network.pages)


def index_built(build: Build, site_dir: Path, root: Path | None = None) -> None:
    """``site_dir``: the pages as the generator wrote them. ``root``: the site's folder (its
    own node_modules/, if any). A member's page Pagefind cannot read is one line, not a failure."""
    own = [(case.url, build.site.settings.absolute(case.url)) for case in build.site.cases]
    (site_dir / SEARCH_TEXT).write_text(search_text(site_dir, own, API_VERSION), encoding="utf-8")
    skipped = index_site(site_dir, root, build.member_pages, build.site.settings.build_cache_dir / "search")
    if skipped:
        warn(f"成员网站的 {len(skipped)} 个案例页面无法编入搜索索引，这次搜不到：{'、'.join(skipped[:3])}"
             + ("等" if len(skipped) > 3 else ""))


def _starter(case: CaseView, settings: Settings) -> bytes:
    return starter_yaml(case.record, case.id, settings.absolute(case.url)).encode()


def _robots(settings: Settings) -> str:
    sitemap = f"Sitemap: {settings.absolute('sitemap.xml')}\n" if settings.site_url else ""
    return "User-agent: *\nAllow: /\n" + sitemap
