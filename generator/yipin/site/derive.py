"""Derive the site from valid content: published cases with their URLs and dates, the
streets and districts they belong to, totals and featured cases. Drafts stop here. A
portal's pages also list its members' cases (remote.py): they count in the totals and
give streets and districts their pages, but their own pages stay on their sites.
"""

from __future__ import annotations

import subprocess
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from yipin.config import Settings
from yipin.content.loaded import Content, Loaded
from yipin.content.models import Case, Street, Taxonomy
from yipin.errors import YipinError
from yipin.site.places import unique_slugs
from yipin.site.remote import RemoteCase

__all__ = ["CaseView", "Listed", "Place", "Site", "count_totals", "derive_site", "git_dates"]

FALLBACK_DATE = date(2000, 1, 1)  # a record with no date anywhere; never the build clock
UNIX_EPOCH = date(1970, 1, 1)
FEATURED_DEFAULT = 6
T = TypeVar("T")


@dataclass(frozen=True)
class CaseView:
    loaded: Loaded[Case]
    updated: date
    street: Place | None = None
    district: Place | None = None

    @property
    def region(self) -> tuple[str, str, str, str | None]:
        region = self.record.community.region
        return region.province, region.city, region.district, region.street

    @property
    def community(self) -> str:
        return self.record.community.name

    @property
    def kind(self) -> str:
        return self.record.community.kind

    @property
    def place_line(self) -> str:
        """连江社区 · 清城区洲心街道; a street-wide brand's community is its street, said once."""
        region = self.record.community.region
        where = region.district + (region.street or "")
        return self.community if where.endswith(self.community) else f"{self.community} · {where}"

    @property
    def id(self) -> str:
        return self.loaded.id

    @property
    def record(self) -> Case:
        return self.loaded.record

    @cached_property  # every link to a case, on every page that lists it
    def url(self) -> str:
        return f"cases/{self.id}/"


@dataclass(frozen=True, eq=False)  # one object per place: identity is equality
class Place:
    """A street or a district page and the cases in it."""

    kind: str                       # "street" | "district"
    key: tuple[str, ...]            # (province, city, district[, street])
    slug: str
    profile: Loaded[Street] | None = None

    @property
    def name(self) -> str:
        return self.key[-1]

    @property
    def url(self) -> str:
        return f"{self.kind}s/{self.slug}/"


@dataclass(frozen=True)
class Site:
    settings: Settings
    taxonomy: Taxonomy
    cases: tuple[CaseView, ...]
    streets: tuple[Place, ...]
    districts: tuple[Place, ...]
    featured: tuple[CaseView | Listed, ...]
    updated: date
    remote: tuple[Listed, ...] = ()    # a portal's members' cases, each with its places

    def cases_in(self, place: Place) -> tuple[CaseView, ...]:
        return self._cases_by_place.get(place, ())

    def remote_in(self, place: Place) -> tuple[Listed, ...]:
        return self._remote_by_place.get(place, ())

    def listed_in(self, place: Place) -> tuple[CaseView | Listed, ...]:
        """Every case a place's page lists: this site's, then a portal's members'."""
        return (*self.cases_in(place), *self.remote_in(place))

    def streets_in(self, district: Place) -> tuple[Place, ...]:
        return self._streets_by_district.get(district.key, ())

    def district_of(self, place: Place) -> Place | None:
        """A street's district (None for a district)."""
        return self._districts_by_key.get(place.key[:3]) if place.kind == "street" else None

    # Indexed once: pages ask for a place's cases thousands of times on a large site.
    @cached_property
    def _cases_by_place(self) -> dict[Place, tuple[CaseView, ...]]:
        return _by_place(self.cases)

    @cached_property
    def _remote_by_place(self) -> dict[Place, tuple[Listed, ...]]:
        return _by_place(self.remote)

    @cached_property
    def _districts_by_key(self) -> dict[tuple[str, ...], Place]:
        return {district.key: district for district in self.districts}

    @cached_property
    def _streets_by_district(self) -> dict[tuple[str, ...], tuple[Place, ...]]:
        index: dict[tuple[str, ...], list[Place]] = defaultdict(list)
        for street in self.streets:
            index[street.key[:3]].append(street)
        return {key: tuple(streets) for key, streets in index.items()}

    @cached_property  # the home page, the library (twice) and the manifest
    def totals(self) -> dict[str, int]:
        return count_totals((*self.cases, *self.remote))

    def totals_in(self, place: Place) -> dict[str, int]:
        return count_totals(self.listed_in(place))


@dataclass(frozen=True)
class Listed:
    """A member's case where the portal lists it: in its street and district."""

    case: RemoteCase
    street: Place | None
    district: Place

    @property
    def region(self) -> tuple[str, str, str, str | None]:
        return self.case.region

    @property
    def community(self) -> str:
        return self.case.community

    @property
    def kind(self) -> str:
        return self.case.kind

    @property
    def updated(self) -> date:
        return self.case.updated


def _by_place(items: Sequence[T]) -> dict[Place, tuple[T, ...]]:
    """Each street and district with its cases (this site's, or a portal's members')."""
    index: dict[Place, list[T]] = defaultdict(list)
    for item in items:
        for place in filter(None, (item.street, item.district)):  # type: ignore[attr-defined]
            index[place].append(item)
    return {place: tuple(found) for place, found in index.items()}


def count_totals(cases: Sequence[CaseView | Listed]) -> dict[str, int]:
    """Cases, communities (not street- or district-wide brands), streets, districts, provinces."""
    return {
        "cases": len(cases),
        "communities": len({(*c.region, c.community) for c in cases if c.kind not in {"street", "district"}}),
        "streets": len({c.street for c in cases if c.street}),
        "districts": len({c.district for c in cases}),
        "provinces": len({c.region[0] for c in cases}),
    }


def derive_site(content: Content, settings: Settings, remote: Sequence[RemoteCase] = ()) -> Site:
    """``remote``: a portal's members' cases, listed in their streets and districts."""
    dates = git_dates(content.root)
    published = sorted(content.published, key=lambda c: c.id)
    profiles = {(p.record.region.province, p.record.region.city, p.record.region.district, p.record.name): p
                for p in content.streets}
    street_keys = {_street_key(c.record) for c in published} - {None} | {r.street_key for r in remote} - {None}
    district_keys = {_street_key(c.record, district=True) for c in published} | {r.district_key for r in remote}
    street_slugs = unique_slugs(street_keys)
    district_slugs = unique_slugs(district_keys, keep=1)
    streets = {k: Place("street", k, street_slugs[k], profiles.get(k)) for k in sorted(street_keys)}
    districts = {k: Place("district", k, district_slugs[k]) for k in sorted(district_keys)}
    cases = tuple(
        CaseView(c, _updated(c, dates), streets.get(_street_key(c.record)),
                 districts[_street_key(c.record, district=True)])
        for c in published
    )
    listed = tuple(Listed(r, streets.get(r.street_key) if r.street_key else None, districts[r.district_key])
                   for r in sorted(remote, key=lambda r: r.url))
    return Site(
        settings=settings,
        taxonomy=content.taxonomy,
        cases=cases,
        streets=tuple(streets.values()),
        districts=tuple(districts.values()),
        featured=_featured(cases, settings.featured, listed),
        updated=max((*(c.updated for c in cases), *(r.updated for r in remote)), default=FALLBACK_DATE),
        remote=listed,
    )


def _street_key(case: Case, *, district: bool = False) -> tuple[str, ...] | None:
    region = case.community.region
    if district:
        return (region.province, region.city, region.district)
    return (region.province, region.city, region.district, region.street) if region.street else None


def _updated(loaded: Loaded[Case], dates: dict[Path, date]) -> date:
    """The record's own date, else its file's last commit, else its newest source — never
    before 1970: sitemaps and their gzip headers count in Unix time."""
    case = loaded.record
    if case.updated:
        return case.updated.first_day
    if loaded.doc.path.resolve() in dates:
        return dates[loaded.doc.path.resolve()]
    return max(max((s.date.first_day for s in case.sources if s.date), default=FALLBACK_DATE), UNIX_EPOCH)


def _featured(cases: tuple[CaseView, ...], chosen: tuple[str, ...],
              listed: tuple[Listed, ...]) -> tuple[CaseView | Listed, ...]:
    """The cases mkdocs.yml features; else the newest, on a portal its members' too."""
    by_id = {c.id: c for c in cases}
    unknown = [i for i in chosen if i not in by_id]
    if unknown:
        raise YipinError(f"mkdocs.yml 的 featured 里有不存在或未发布的案例：{'、'.join(unknown)}")
    if chosen:
        return tuple(by_id[i] for i in chosen)
    newest = sorted((*cases, *listed), key=lambda c: (c.updated, c.case.url if isinstance(c, Listed) else c.id),
                    reverse=True)
    return tuple(newest[:FEATURED_DEFAULT])


def git_dates(folder: Path) -> dict[Path, date]:
    """The last commit date of every file under ``folder``, from one `git log` call."""
    try:
        top = subprocess.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, check=True).stdout.strip()
        log = subprocess.run(["git", "-C", str(folder), "log", "--format=%x00%cs", "--name-only", "--", "."],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates: dict[Path, date] = {}
    current = FALLBACK_DATE
    for line in log.splitlines():
        if line.startswith("\x00"):
            current = date.fromisoformat(line[1:])
        elif line:
            dates.setdefault((Path(top) / line).resolve(), current)
    return dates
