"""Who copied whom (可复制可推广): the replication network across sites.

A case says ``inspired_by``: a case of its own site (an id) or a case page elsewhere (a URL).
Every site publishes its cases' inspirations in its manifest (api/v1/site.json), a portal
those of its members too; reading the manifests of its members and of the sites and
portals it is told about (``network:``), a site learns which cases elsewhere copied its
own. All of it is addresses: a case is known by its page's absolute URL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from yipin.api.models import MANY_CASES, Inspiration
from yipin.site.derive import CaseView, Site

__all__ = ["Copies", "Origin", "copies_in", "own_inspirations", "published_inspirations"]


def own_inspirations(site: Site, names: dict[str, str] | None = None) -> list[Inspiration]:
    """This site's published cases that learnt from another case, by absolute addresses;
    ``names``: the cases this build can name (case_names), for the origins' names."""
    names = case_names(site) if names is None else names
    found = []
    for case in site.cases:
        cited = case.record.inspired_by
        if cited:
            origin = cited if cited.startswith(("http://", "https://")) else site.settings.absolute(f"cases/{cited}/")
            found.append(Inspiration(case=site.settings.absolute(case.url), brand=case.record.brand.name,
                                     community=case.record.community.name, inspired_by=origin,
                                     origin=names.get(origin)))
    return found


def copies_in(site: Site, inspirations: Iterable[Inspiration]) -> Copies:
    """Every inspiration this build knows (its own, its members', its network's). A case's
    name comes from where it is published if this build knows it, else from what others say."""
    inspirations = list(inspirations)
    said = {i.inspired_by: i.origin for i in inspirations if i.origin}
    names = said | {i.case: f"{i.brand} · {i.community}" for i in inspirations} | case_names(site)
    return Copies.of(inspirations, names, site.settings.absolute(""))


def published_inspirations(site: Site, members: Iterable[Inspiration] = (),
                           say: Callable[[str], None] = print) -> list[Inspiration]:
    """What the manifest says: this site's inspirations and, for a portal, its members';
    each origin named where this build knows it, so sites reading it can name it too. At
    most what the published model holds (MANY_CASES): a portal's members together may say
    more, and the rest is left out with one line through ``say``."""
    names = case_names(site)
    found = [*own_inspirations(site, names), *members]
    if len(found) > MANY_CASES:
        say(f"本站和各成员网站一共有 {len(found):,} 条借鉴关系，网站清单最多发布 {MANY_CASES:,} 条：后面的 "
            f"{len(found) - MANY_CASES:,} 条这次不发布")
    return [i if i.origin else i.model_copy(update={"origin": names.get(i.inspired_by)}) for i in found[:MANY_CASES]]


@dataclass(frozen=True)
class Origin:
    """A case others learnt from, as a page can name it."""

    url: str
    name: str          # brand · community, where the case is known; else the site's host


@dataclass(frozen=True)
class Copies:
    """Every inspiration known to this build, and the names of the cases it can name."""

    inspirations: tuple[Inspiration, ...]
    names: dict[str, str] = field(default_factory=dict)   # case page URL → "brand · community"
    home: str = "/"                                       # this site's address: its pages link within it

    @classmethod
    def of(cls, inspirations: Iterable[Inspiration], names: dict[str, str], home: str = "/") -> Copies:
        unique = {(i.case, i.inspired_by): i for i in inspirations if i.case != i.inspired_by}
        return cls(tuple(unique[key] for key in sorted(unique)), names, home)

    def link(self, url: str) -> str:
        """A case's address as this site's pages link to it: site-relative when it is here."""
        return url[len(self.home):] if url.startswith(self.home) else url

    def learnt_from(self, url: str) -> Origin | None:
        """The case that the case at ``url`` learnt from, if it says so."""
        found = self._by_case.get(url)
        return self.origin(found.inspired_by) if found else None

    @cached_property
    def _by_case(self) -> dict[str, Inspiration]:
        return {i.case: i for i in self.inspirations}

    @cached_property
    def _by_origin(self) -> dict[str, tuple[Inspiration, ...]]:
        index: dict[str, list[Inspiration]] = defaultdict(list)
        for inspiration in self.inspirations:
            index[inspiration.inspired_by].append(inspiration)
        return {url: tuple(items) for url, items in index.items()}

    def copied_by(self, url: str) -> tuple[Inspiration, ...]:
        """The cases that learnt from the case at ``url``."""
        return self._by_origin.get(url, ())

    def origin(self, url: str) -> Origin:
        return Origin(url, self.names.get(url) or f"{urlsplit(url).hostname} 的一个案例")

    def most_copied(self, limit: int = 10) -> list[tuple[Origin, tuple[Inspiration, ...]]]:
        ranked = sorted(self._by_origin.items(), key=lambda item: (-len(item[1]), item[0]))
        return [(self.origin(url), copies) for url, copies in ranked[:limit]]


def case_names(site: Site) -> dict[str, str]:
    """This site's published cases (own and a portal's members') by absolute page URL."""
    names = {site.settings.absolute(case.url): _name(case) for case in site.cases}
    names |= {listed.case.url: f"{listed.case.brand} · {listed.case.community}" for listed in site.remote}
    return names


def _name(case: CaseView) -> str:
    return f"{case.record.brand.name} · {case.record.community.name}"
