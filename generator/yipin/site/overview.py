"""The whole site at a glance, for the home page: how many brands each province, city,
district and street has (a tree whose every node links to a page), the brands by theme,
community kind and launch year, and the cases changed last. A portal's members' cases
count wherever their list says enough (they have no launch date there).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from yipin.content.models import KIND_LABELS
from yipin.site.derive import CaseView, Listed, Site

__all__ = ["RegionNode", "by_kind", "by_theme", "by_year", "latest", "region_tree"]

LIBRARY = "cases/"


@dataclass(frozen=True)
class RegionNode:
    """A province, city, district or street with its number of brands. ``url`` is
    site-relative: a district's or street's page, else the library filtered to the region."""

    level: str                          # province | city | district | street
    name: str
    count: int
    url: str
    children: tuple[RegionNode, ...] = ()


def _items(site: Site) -> tuple[CaseView | Listed, ...]:
    return (*site.cases, *site.remote)


def region_tree(site: Site) -> tuple[RegionNode, ...]:
    """Provinces, their cities, their districts, their streets: most brands first, then by name."""
    items = _items(site)
    provinces = Counter(c.region[0] for c in items)
    cities = Counter(c.region[:2] for c in items)

    def order(nodes: Iterable[RegionNode]) -> tuple[RegionNode, ...]:
        return tuple(sorted(nodes, key=lambda n: (-n.count, n.name)))

    def streets(district_key: tuple[str, ...]) -> tuple[RegionNode, ...]:
        return order(RegionNode("street", s.name, len(site.listed_in(s)), s.url)
                     for s in site.streets if s.key[:3] == district_key)

    def districts(city: tuple[str, ...]) -> tuple[RegionNode, ...]:
        return order(RegionNode("district", d.name, len(site.listed_in(d)), d.url, streets(d.key))
                     for d in site.districts if d.key[:2] == city)

    def city_nodes(province: str) -> tuple[RegionNode, ...]:
        return order(RegionNode("city", key[1], count, _library(province=province, city=key[1]), districts(key))
                     for key, count in cities.items() if key[0] == province)

    return order(RegionNode("province", name, count, _library(province=name), city_nodes(name))
                 for name, count in provinces.items())


def _library(**filters: str) -> str:
    """The case library showing only a region (library.js reads its filters from the URL)."""
    return f"{LIBRARY}?{urlencode(filters)}"


def by_theme(site: Site) -> list[tuple[str, int]]:
    """(theme, brands): most first, ties in the taxonomy's order."""
    counts = Counter(t for c in _items(site) for t in dict.fromkeys(_themes(c)))
    rank = {term.term: i for i, term in enumerate(site.taxonomy.themes)}
    return sorted(counts.items(), key=lambda item: (-item[1], rank.get(item[0], len(rank)), item[0]))


def by_kind(site: Site) -> list[tuple[str, int]]:
    """(community kind as shown, brands): most first, ties in the record format's order."""
    counts = Counter(c.kind for c in _items(site))
    rank = {kind: i for i, kind in enumerate(KIND_LABELS)}
    return [(KIND_LABELS.get(kind, kind), n)
            for kind, n in sorted(counts.items(), key=lambda item: (-item[1], rank.get(item[0], len(rank))))]


def by_year(site: Site) -> tuple[list[tuple[str, int]], int]:
    """(launch year, brands) in year order, and how many brands name no launch date."""
    years = [c.record.brand.launched.year if isinstance(c, CaseView) and c.record.brand.launched else None
             for c in _items(site)]
    counts = Counter(y for y in years if y is not None)
    return [(f"{year}年", counts[year]) for year in sorted(counts)], years.count(None)


def latest(site: Site, limit: int = 6) -> tuple[CaseView | Listed, ...]:
    """The cases changed last, newest first (ties by address, so a build is reproducible)."""
    return tuple(sorted(_items(site), key=lambda c: (c.updated, c.case.url if isinstance(c, Listed) else c.url),
                        reverse=True)[:limit])


def _themes(item: CaseView | Listed) -> tuple[str, ...]:
    return item.case.themes if isinstance(item, Listed) else tuple(item.record.themes)
