"""What a build learns from other sites: a portal's members (their cases and activities), and
the manifests of the sites and portals in ``network:`` (who copied this site's cases).

Read before the site is derived, since a portal's members' cases give it streets and
districts. Nothing here fails a build: a site that cannot be read is one line on stderr.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urljoin

from yipin.api.files import MANIFEST
from yipin.api.models import Inspiration, MemberEntry, SearchPage, SiteManifest
from yipin.calendar.remote import RemoteOccurrence
from yipin.config import MemberSource, Settings
from yipin.network.bounds import BUDGET, MAX_MEMBERS
from yipin.network.fetch import Snapshots, in_parallel, same_origin
from yipin.network.members import Member, read_manifest, read_members, warn
from yipin.site.remote import RemoteCase

__all__ = ["Network", "member_entries", "read_network", "remote_cases", "vouched"]


@dataclass(frozen=True)
class Network:
    members: tuple[Member, ...] = ()
    peers: tuple[SiteManifest, ...] = ()     # manifests of the sites in ``network:``

    def members_inspirations(self) -> list[Inspiration]:
        """What a portal publishes besides its own cases' inspirations: its members', each
        for cases at its configured address only (not for those of members it may list)."""
        return [i for member in self.members if member.manifest for i in member.manifest.inspirations
                if _web(i.inspired_by) and member.territory.holds(i.case)]

    def peer_inspirations(self) -> list[Inspiration]:
        """What the sites in ``network:`` say their cases (or their members') learnt from."""
        return [i for manifest in self.peers for i in vouched(manifest)]

    @property
    def occurrences(self) -> list[RemoteOccurrence]:
        return [o for member in self.members for o in member.occurrences]

    @property
    def pages(self) -> tuple[SearchPage, ...]:
        """The members' case pages for the portal's own search index."""
        return tuple(page for member in self.members for page in member.pages or ())


def read_network(settings: Settings, say: Callable[[str], None] = warn) -> Network:
    if not settings.members and not settings.network:
        return Network()
    snapshots = Snapshots(settings.build_cache_dir.parent / "network")
    deadline = time.monotonic() + BUDGET    # members and network sites together
    unique: dict[str, MemberSource] = {}
    for source in settings.members:
        unique.setdefault(source.url, source)   # each address once: it is one member
    sources = tuple(unique.values())
    if len(sources) > MAX_MEMBERS:
        say(f"mkdocs.yml 列了 {len(sources):,} 个成员网站，门户网站最多读 {MAX_MEMBERS:,} 个：后面的 "
            f"{len(sources) - MAX_MEMBERS:,} 个这次不读")
    members = read_members(sources[:MAX_MEMBERS], snapshots, say, deadline)
    peers = in_parallel(lambda url: read_manifest(urljoin(url, MANIFEST), snapshots, say, deadline), settings.network)
    return Network(members, tuple(p for p in peers if p is not None))


def vouched(manifest: SiteManifest) -> list[Inspiration]:
    """The inspirations a manifest can speak for: of cases on its own site or, for a portal,
    on its members' sites. Anything else would let one site claim copies for another."""
    sites = (manifest.url, *manifest.members)
    return [i for i in manifest.inspirations
            if _web(i.inspired_by) and _web(i.case) and any(same_origin(i.case, site) for site in sites if _web(site))]


def remote_cases(members: Iterable[Member]) -> list[RemoteCase]:
    """The cases a portal lists from its members; members.py has checked every address."""
    found = []
    for member in members:
        for case in member.cases:
            region = case.region
            found.append(RemoteCase(
                member=member.name, url=case.url, brand=case.brand.name, slogan=case.brand.slogan,
                community=case.community.name, kind=case.community.kind,
                region=(region.province, region.city, region.district, region.street),
                summary=case.summary, themes=tuple(case.themes), updated=case.updated,
                thumbnail=case.thumbnail))
    return found


def member_entries(members: Iterable[Member]) -> list[MemberEntry]:
    """api/v1/members.json: each member that has been read, now or before."""
    return [MemberEntry(name=m.manifest.name, organisation=m.manifest.organisation, region=m.manifest.region,
                        url=m.url, updated=m.manifest.updated, counts=m.manifest.counts,
                        search=m.manifest.links.search, indexed=m.pages is not None, current=m.current)
            for m in members if m.manifest]


def _web(url: str) -> bool:
    return url.startswith(("http://", "https://"))
