"""A portal's member sites, as their published files say (never their records).

For each member: its manifest (api/v1/site.json), then the case list, the activities and the
search text (its case pages as Pagefind reads them, search/text.py) the manifest points to. Everything is untrusted: each file must pass the published schema
(api/models.py), every address in it must lie on the member's own site, and only http(s)
addresses are kept. A member that cannot be read, or answers something else, keeps its last
good files from the build cache; the build says so in one Chinese line and goes on. A
member given by ``path`` is a built site on disk (a CI artifact), read the same way.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

from pydantic import BaseModel, ValidationError

from yipin.api.files import API_VERSION, MANIFEST
from yipin.api.models import (
    ActivitiesResponse,
    CasesResponse,
    CaseSummary,
    SearchPage,
    SearchTextResponse,
    SiteManifest,
)
from yipin.calendar.remote import RemoteOccurrence, remote_occurrences
from yipin.config import MemberSource
from yipin.network.bounds import BUDGET, MAX_DEPTH, too_deep
from yipin.network.fetch import (
    MAX_BYTES,
    SEARCH_TEXT_BYTES,
    TIMEOUT,
    Snapshots,
    fetch,
    in_parallel,
    origin,
    same_origin,
    shown_address,
)
from yipin.utils.files import read_bounded

__all__ = ["Member", "Territory", "read_manifest", "read_members", "warn"]

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
# A member's last good copy: manifest, case list, activities and search text (if it has one).
Kept = tuple[SiteManifest, CasesResponse, ActivitiesResponse, tuple[SearchPage, ...] | None]


@dataclass(frozen=True)
class Territory:
    """The addresses a member speaks for: under its configured address, segment by segment,
    except those under another member's address inside it (a street under a district's)."""

    base: str                            # the address mkdocs.yml gives, ending in /
    others: tuple[str, ...] = ()         # other members' addresses under ``base``

    def holds(self, url: str) -> bool:
        return urlsplit(url).scheme in ("http", "https") and same_origin(url, self.base) and \
            not any(same_origin(url, other) for other in self.others)


@dataclass(frozen=True)
class Member:
    """One member site: what it last published well, and how fresh that is."""

    source: str                          # its address as pages and lines may show it (no credentials, no folder)
    manifest: SiteManifest | None        # None: never read yet (no snapshot either)
    cases: tuple[CaseSummary, ...] = ()
    occurrences: tuple[RemoteOccurrence, ...] = ()
    pages: tuple[SearchPage, ...] | None = None  # its search text; None: it publishes none (before 0.4)
    note: str = ""                       # why an older copy is shown, or nothing at all (Chinese)
    territory: Territory = Territory("")  # the configured address: what the member may speak for

    @property
    def name(self) -> str:
        return self.manifest.name if self.manifest else self.source

    @property
    def url(self) -> str:
        """The configured address, never the one its manifest claims (it must be the same)."""
        return self.territory.base

    @property
    def current(self) -> bool:
        """Read fresh in this build (not a last good copy)."""
        return self.manifest is not None and not self.note


_OVER_BUDGET = "这次生成读取其他网站的总时间已经用完"   # bounds.BUDGET for all of them together


class _Unusable(Exception):
    """A member's file is missing, malformed or points elsewhere: the message says which."""


def warn(line: str) -> None:
    """A line about another site; info, not a warning: under strict: true a warning stops the
    build, and no other site may stop it."""
    log.info(line)


def read_members(sources: tuple[MemberSource, ...], snapshots: Snapshots, say: Callable[[str], None] = warn,
                 deadline: float | None = None) -> tuple[Member, ...]:
    """Every member, a few at a time, all within ``deadline`` (time.monotonic(); default
    BUDGET from now); one line through ``say`` for each that is not fresh."""
    deadline = time.monotonic() + BUDGET if deadline is None else deadline
    bases = [source.url for source in sources]
    territories = [Territory(base, tuple(other for other in bases if other != base and same_origin(other, base)))
                   for base in bases]
    members = in_parallel(lambda pair: _member(pair[0], pair[1], snapshots, deadline), zip(sources, territories, strict=True))
    for member in members:
        if member.note:
            say(member.note)
    return tuple(members)


def _member(source: MemberSource, territory: Territory, snapshots: Snapshots, deadline: float) -> Member:
    shown = shown_address(source.url)
    reader: _Reader = _FolderReader(source.path) if source.path else _WebReader(snapshots, deadline)
    try:
        manifest = reader.read(urljoin(source.url, MANIFEST) if not source.path else MANIFEST, SiteManifest)
        reader.base = _address(manifest, source, shown)
        _check_links(manifest, territory)
        cases = reader.read(manifest.links.cases, CasesResponse)
        activities = reader.read(manifest.links.activities, ActivitiesResponse)
        _check_addresses(cases, activities, territory)
        occurrences = _occurrences(manifest, activities, territory.base)
        pages = _pages(reader.read(manifest.links.search_text, SearchTextResponse, SEARCH_TEXT_BYTES), cases) \
            if manifest.links.search_text else None
    except _Unusable as exc:
        return _stale(shown, str(exc), reader, territory)
    reader.commit()
    return Member(shown, manifest, tuple(cases.cases), occurrences, pages, territory=territory)


def read_manifest(url: str, snapshots: Snapshots, say: Callable[[str], None] = warn,
                  deadline: float | None = None) -> SiteManifest | None:
    """Another site's manifest (a site or portal in ``network:``), or its last good copy."""
    reader = _WebReader(snapshots, time.monotonic() + BUDGET if deadline is None else deadline)
    try:
        manifest = reader.read(url, SiteManifest)
    except _Unusable as exc:
        kept = snapshots.load(url)
        manifest = _parse_quietly(kept[0], SiteManifest) if kept else None
        say(f"网站 {url} 读取失败（{exc}）：" + ("用上次读到的借鉴关系" if manifest else "这次没有它的借鉴关系"))
        return manifest
    reader.commit()
    return manifest


def _address(manifest: SiteManifest, source: MemberSource, shown: str) -> str:
    """The member's address is the configured one; its manifest must say the same."""
    said = manifest.url
    if origin(said) is None or not said.endswith("/"):
        raise _Unusable("它的网站清单没有写网站地址（成员网站的 mkdocs.yml 要写 site_url）")
    if not (same_origin(said, source.url) and same_origin(source.url, said)):
        raise _Unusable(f"网站清单写的地址是 {shown_address(said)}，不是 {shown}")
    return source.url


def _check_links(manifest: SiteManifest, territory: Territory) -> None:
    for name, link in manifest.links:
        if link is not None and not territory.holds(link):
            raise _Unusable(f"网站清单里的 {name} 地址 {link} 不在这个网站上")


def _check_addresses(cases: CasesResponse, activities: ActivitiesResponse, territory: Territory) -> None:
    """Every address a portal will link to or load lies on the member's own site (and not
    on another member's inside it)."""
    for case in cases.cases:
        for link in (case.url, case.json_url, case.thumbnail or territory.base):
            if not territory.holds(link):
                raise _Unusable(f"案例 {case.id} 的地址 {link} 不在这个网站上")
    for occurrence in activities.occurrences:
        for link in (occurrence.url, occurrence.ics):
            if not territory.holds(link):
                raise _Unusable(f"活动 {occurrence.title} 的地址 {link} 不在这个网站上")


def _pages(text: SearchTextResponse, cases: CasesResponse) -> tuple[SearchPage, ...]:
    """Only the member's own case pages go into the portal's index: results link to them."""
    listed = {case.url for case in cases.cases}
    for page in text.pages:
        if page.url not in listed:
            raise _Unusable(f"搜索文本里的 {page.url} 不是它列出的案例")
    return tuple(text.pages)


def _occurrences(manifest: SiteManifest, activities: ActivitiesResponse, base: str) -> tuple[RemoteOccurrence, ...]:
    try:
        return remote_occurrences(manifest.name, base, activities)
    except (ValueError, OverflowError) as exc:   # remote.py: every time and zone checked
        raise _Unusable(f"活动有误：{exc}") from None


def _stale(shown: str, problem: str, reader: _Reader, territory: Territory) -> Member:
    """The last good copy of a member that could not be read now, or none at all."""
    kept = reader.kept()
    if kept is None:
        return Member(shown, None, note=f"成员网站 {shown} 读取失败（{problem}），也没有以前的副本：这次不显示它",
                      territory=territory)
    manifest, cases, activities, pages = kept
    try:
        occurrences = _occurrences(manifest, activities, territory.base)
    except _Unusable:
        occurrences = ()
    return Member(shown, manifest, tuple(cases.cases), occurrences, pages,
                  note=f"成员网站 {shown} 读取失败（{problem}）：显示上次读到的内容（{manifest.updated}）",
                  territory=territory)


class _Reader:
    base = ""  # the member's published address, once its manifest has said it

    def read(self, url: str, model: type[M], max_bytes: int = MAX_BYTES) -> M:
        raise NotImplementedError

    def commit(self) -> None:
        """Everything read has passed: it becomes the last good copy."""

    def kept(self) -> Kept | None:
        return None


class _WebReader(_Reader):
    """Over HTTP, each file conditionally against its last good copy; files are kept only
    once the whole member has passed, so a half-changed member keeps its old copy whole."""

    def __init__(self, snapshots: Snapshots, deadline: float) -> None:
        self.snapshots = snapshots
        self.deadline = deadline   # time.monotonic() by which every member must be read
        self.fetched: list[tuple[str, bytes, str, str]] = []
        self.urls: list[str] = []

    def read(self, url: str, model: type[M], max_bytes: int = MAX_BYTES) -> M:
        self.urls.append(url)
        kept = self.snapshots.load(url)
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _Unusable(_OVER_BUDGET)
        answer = fetch(url, etag=kept[1] if kept else "", modified=kept[2] if kept else "", max_bytes=max_bytes,
                       timeout=min(TIMEOUT, left))
        if answer.unchanged and kept:
            return _parse(kept[0], model)
        if answer.body is None:
            if time.monotonic() >= self.deadline:
                raise _Unusable(_OVER_BUDGET)
            raise _Unusable(answer.problem)
        parsed = _parse(answer.body, model)
        self.fetched.append((url, answer.body, answer.etag, answer.modified))
        return parsed

    def commit(self) -> None:
        for item in self.fetched:
            self.snapshots.keep(*item)

    def kept(self) -> Kept | None:
        """The last good copy of the whole member, found through its manifest's links."""
        if not self.urls:
            return None
        manifest = self._kept(self.urls[0], SiteManifest)
        if manifest is None:
            return None
        cases, activities = self._kept(manifest.links.cases, CasesResponse), \
            self._kept(manifest.links.activities, ActivitiesResponse)
        if not (cases and activities):
            return None
        text = self._kept(manifest.links.search_text, SearchTextResponse) if manifest.links.search_text else None
        return manifest, cases, activities, tuple(text.pages) if text else None

    def _kept(self, url: str, model: type[M]) -> M | None:
        kept = self.snapshots.load(url)
        return _parse_quietly(kept[0], model) if kept else None


class _FolderReader(_Reader):
    """A built site on disk: its published addresses map to files under the folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()

    def read(self, url: str, model: type[M], max_bytes: int = MAX_BYTES) -> M:
        if url.startswith(("http://", "https://")):
            if not self.base or not same_origin(url, self.base):
                raise _Unusable(f"{url} 不在这个网站上")
            url = urlsplit(url).path[len(urlsplit(self.base).path):]
        path = (self.folder / url).resolve()
        if not path.is_relative_to(self.folder):
            raise _Unusable(f"{url} 不在文件夹 {self.folder} 里")
        try:
            return _parse(read_bounded(path, max_bytes), model)
        except OSError as exc:
            raise _Unusable(f"读不到 {path}（{exc.strerror or exc}）") from None


def _parse(body: bytes, model: type[M]) -> M:
    if too_deep(body):
        raise _Unusable(f"不是 Yipin 网站发布的{_what(model)}（括号套了 {MAX_DEPTH} 层以上）")
    try:
        parsed = model.model_validate(json.loads(body.decode("utf-8")))
    except (UnicodeDecodeError, ValueError, ValidationError) as exc:
        first = exc.errors()[0] if isinstance(exc, ValidationError) else None
        where = "/".join(str(p) for p in first["loc"]) if first else ""
        raise _Unusable(f"不是 Yipin 网站发布的{_what(model)}" + (f"（{where}）" if where else "")) from None
    version = getattr(parsed, "version", API_VERSION)
    if version != API_VERSION:
        raise _Unusable(f"{_what(model)}的接口版本不是 {API_VERSION}，这个 Yipin 读不懂：请升级 Yipin")
    return parsed


def _parse_quietly(body: bytes, model: type[M]) -> M | None:
    """A last good copy: it passed once; None if the cache was tampered with."""
    try:
        return _parse(body, model)
    except _Unusable:
        return None


def _what(model: type[BaseModel]) -> str:
    return {SiteManifest: "网站清单", CasesResponse: "案例列表", ActivitiesResponse: "活动",
            SearchTextResponse: "搜索文本"}.get(model, "文件")
