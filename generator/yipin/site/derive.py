"""Derive the site from valid content: published cases with their URLs and dates, the
streets and districts they belong to, totals and featured cases. Drafts stop here.
"""

from __future__ import annotations

import subprocess
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from yipin.config import Settings
from yipin.content.loaded import Content, Loaded
from yipin.content.models import Case, Street, Taxonomy
from yipin.errors import YipinError
from yipin.site.places import unique_slugs

__all__ = ["CaseView", "Place", "Site", "count_totals", "derive_site", "git_dates"]

FALLBACK_DATE = date(2000, 1, 1)  # a record with no date anywhere; never the build clock
UNIX_EPOCH = date(1970, 1, 1)
FEATURED_DEFAULT = 6


@dataclass(frozen=True)
class CaseView:
    loaded: Loaded[Case]
    updated: date
    street: Place | None = None
    district: Place | None = None

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
    featured: tuple[CaseView, ...]
    updated: date

    def cases_in(self, place: Place) -> tuple[CaseView, ...]:
        return self._cases_by_place.get(place, ())

    def streets_in(self, district: Place) -> tuple[Place, ...]:
        return self._streets_by_district.get(district.key, ())

    def district_of(self, place: Place) -> Place | None:
        """A street's district (None for a district)."""
        return self._districts_by_key.get(place.key[:3]) if place.kind == "street" else None

    # Indexed once: pages ask for a place's cases thousands of times on a large site.
    @cached_property
    def _cases_by_place(self) -> dict[Place, tuple[CaseView, ...]]:
        index: dict[Place, list[CaseView]] = defaultdict(list)
        for case in self.cases:
            for place in filter(None, (case.street, case.district)):
                index[place].append(case)
        return {place: tuple(cases) for place, cases in index.items()}

    @cached_property
    def _districts_by_key(self) -> dict[tuple[str, ...], Place]:
        return {district.key: district for district in self.districts}

    @cached_property
    def _streets_by_district(self) -> dict[tuple[str, ...], tuple[Place, ...]]:
        index: dict[tuple[str, ...], list[Place]] = defaultdict(list)
        for street in self.streets:
            index[street.key[:3]].append(street)
        return {key: tuple(streets) for key, streets in index.items()}

    @property
    def totals(self) -> dict[str, int]:
        return count_totals(self.cases)


def count_totals(cases: Sequence[CaseView]) -> dict[str, int]:
    """Cases, communities (not street- or district-wide brands), streets, districts, provinces."""
    regions = [(c.record.community.region, c.record.community) for c in cases]
    return {
        "cases": len(cases),
        "communities": len({(r.province, r.city, r.district, r.street, k.name) for r, k in regions
                            if k.kind not in {"street", "district"}}),
        "streets": len({c.street for c in cases if c.street}),
        "districts": len({c.district for c in cases}),
        "provinces": len({r.province for r, _ in regions}),
    }


def derive_site(content: Content, settings: Settings) -> Site:
    dates = git_dates(content.root)
    published = sorted(content.published, key=lambda c: c.id)
    profiles = {(p.record.region.province, p.record.region.city, p.record.region.district, p.record.name): p
                for p in content.streets}
    street_keys = {_street_key(c.record) for c in published} - {None}
    district_keys = {_street_key(c.record, district=True) for c in published}
    street_slugs = unique_slugs(street_keys)
    district_slugs = unique_slugs(district_keys, keep=1)
    streets = {k: Place("street", k, street_slugs[k], profiles.get(k)) for k in sorted(street_keys)}
    districts = {k: Place("district", k, district_slugs[k]) for k in sorted(district_keys)}
    cases = tuple(
        CaseView(c, _updated(c, dates), streets.get(_street_key(c.record)),
                 districts[_street_key(c.record, district=True)])
        for c in published
    )
    return Site(
        settings=settings,
        taxonomy=content.taxonomy,
        cases=cases,
        streets=tuple(streets.values()),
        districts=tuple(districts.values()),
        featured=_featured(cases, settings.featured),
        updated=max((c.updated for c in cases), default=FALLBACK_DATE),
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


def _featured(cases: tuple[CaseView, ...], chosen: tuple[str, ...]) -> tuple[CaseView, ...]:
    by_id = {c.id: c for c in cases}
    unknown = [i for i in chosen if i not in by_id]
    if unknown:
        raise YipinError(f"mkdocs.yml 的 featured 里有不存在或未发布的案例：{'、'.join(unknown)}")
    if chosen:
        return tuple(by_id[i] for i in chosen)
    return tuple(sorted(cases, key=lambda c: (c.updated, c.id), reverse=True)[:FEATURED_DEFAULT])


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
