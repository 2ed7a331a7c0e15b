"""What each cached output depends on, in one place (see yipin/cache.py).

A case's key covers everything its page, API file, starter, kit.docx and calendar files show: the
record (its file and the taxonomy it was checked against), its dates and places, the
settings and the site's own page templates, its pictures, the calendar window when it
has activities, and who copied it or whom it copied (network/copies.py). The templates reach nothing else of the site from a case
(themes/pages/case*.j2); Yipin's code and templates are in the cache's fingerprint. A street or district page's key adds the keys of its cases.
tests/test_build_cache.py rebuilds after each kind of change and compares with a build
from nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from yipin.cache import digest
from yipin.calendar.occurrences import Calendar
from yipin.network.copies import Copies
from yipin.render.media import Media
from yipin.site.derive import CaseView, Place, Site

__all__ = ["case_keys", "place_keys"]


def case_keys(site: Site, media: Media | None, calendar: Calendar | None,
              copies: Copies | None = None) -> dict[str, str]:
    settings = _settings(site)
    return {case.id: _case_key(case, settings, media, calendar, _copies(site, case, copies)) for case in site.cases}


def _copies(site: Site, case: CaseView, copies: Copies | None) -> str:
    if copies is None:
        return ""
    address = site.settings.absolute(case.url)
    return repr((copies.learnt_from(address), copies.copied_by(address)))


def _settings(site: Site) -> str:
    return digest(repr(site.settings), _overrides(site.settings.overrides))


def _overrides(folder: Path | None) -> list[tuple[str, bytes]]:
    """The site's own page templates, which change every page they replace."""
    pages = folder / "pages" if folder else None
    if pages is None or not pages.is_dir():
        return []
    return [(p.relative_to(pages).as_posix(), p.read_bytes()) for p in sorted(pages.rglob("*")) if p.is_file()]


def _case_key(case: CaseView, settings: str, media: Media | None, calendar: Calendar | None, copies: str) -> str:
    pictures = (media.logo(case), media.thumbnail(case), media.gallery(case)) if media else None
    window = calendar.window if calendar and case.record.activities else None
    return digest(case.loaded.source, case.updated, _where(case.street), _where(case.district), settings,
                  repr(pictures), window, copies)


def place_keys(site: Site, keys: dict[str, str], calendar: Calendar | None) -> dict[Place, str]:
    settings = _settings(site) if site.remote else ""
    return {place: _place_key(site, place, keys, calendar, settings) for place in (*site.streets, *site.districts)}


def _place_key(site: Site, place: Place, keys: dict[str, str], calendar: Calendar | None, settings: str) -> str:
    """A street's or district's page: its profile, its cases, its district or streets. The
    settings are in its cases' keys; on a portal a place may have only members' cases."""
    streets = site.streets_in(place) if place.kind == "district" else ()
    window = calendar.window if calendar and calendar.of(place) else None
    return digest(_where(place), place.profile.source if place.profile else None, _where(site.district_of(place)),
                  [keys[case.id] for case in site.cases_in(place)], repr([item.case for item in site.remote_in(place)]),
                  [_where(street) for street in streets], window, settings)


def _where(place: Place | None) -> Any:
    return (place.url, place.key) if place else None
