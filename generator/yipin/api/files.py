"""Headless outputs for other programs: versioned JSON under api/v1/ and the record
schemas. Drafts never reach them (the Site holds published cases only).

api/v1/site.json, the manifest, is what other Yipin sites read first: where the case list,
the activities and the search index are, and who copied whom (network/copies.py)."""

from __future__ import annotations

from collections import Counter
from functools import partial

from pydantic import BaseModel

from yipin import __version__
from yipin.api.models import (
    BrandSummary,
    CaseResponse,
    CasesResponse,
    CaseSummary,
    CommunitySummary,
    Counts,
    Inspiration,
    Kind,
    Link,
    MemberEntry,
    MembersResponse,
    SiteLinks,
    SiteManifest,
    TaxonomyResponse,
    Term,
    api_schemas,
)
from yipin.cache import BuildCache
from yipin.content.markdown import Prose
from yipin.content.models import KIND_LABELS
from yipin.content.models.base import markdown_values
from yipin.content.reader import dotted
from yipin.content.schema import build_schemas, render_schema
from yipin.render.media import Media
from yipin.site.derive import CaseView, Place, Site

__all__ = ["API_VERSION", "API_SCHEMA_FOLDER", "MANIFEST", "MEMBERS", "SEARCH_TEXT", "api_files", "api_json", "case_summary",
           "markdown_fields", "manifest_files"]

API_VERSION = 1
PREFIX = f"api/v{API_VERSION}/"
API_SCHEMA_FOLDER = "schema/api/"
MANIFEST = PREFIX + "site.json"
MEMBERS = PREFIX + "members.json"
SEARCH = "pagefind/"
SEARCH_TEXT = PREFIX + "search.json"   # written once the pages are (search/text.py)


def api_files(site: Site, prose: Prose, cache: BuildCache, keys: dict[str, str],
              media: Media | None = None) -> dict[str, str | bytes]:
    """Every API and schema file; each case's own file from ``cache`` while its key (cache_keys.py) holds."""
    cases = CasesResponse(version=API_VERSION, updated=site.updated, count=len(site.cases),
                          cases=[case_summary(site, c, media) for c in site.cases])
    files = {PREFIX + "cases.json": api_json(cases), PREFIX + "taxonomy.json": api_json(_taxonomy(site))}
    cached = cache.table("case-api")
    for case in site.cases:
        files[f"{PREFIX}cases/{case.id}.json"] = cached.get(keys[case.id], partial(_case_file, site, case, prose))
    for filename, schema in build_schemas(site.taxonomy).items():
        files[f"schema/{filename}"] = render_schema(schema)
    for filename, schema in api_schemas().items():
        files[f"{API_SCHEMA_FOLDER}{filename}"] = render_schema(schema)
    return files


def manifest_files(site: Site, activities: int, inspirations: list[Inspiration],
                   members: list[MemberEntry] | None) -> dict[str, str]:
    """api/v1/site.json, and for a portal (``members`` given) api/v1/members.json."""
    absolute = site.settings.absolute
    own = site.settings
    totals = site.totals
    manifest = SiteManifest(
        version=API_VERSION, generator=f"yipin {__version__}", name=own.site_name, organisation=own.organisation,
        region=own.region, url=absolute(""), updated=site.updated,
        counts=Counts(cases=totals["cases"], communities=totals["communities"], streets=totals["streets"],
                      districts=totals["districts"], activities=activities),
        links=SiteLinks(cases=absolute(PREFIX + "cases.json"), activities=absolute(PREFIX + "activities.json"),
                        search=absolute(SEARCH), calendar=absolute("calendar.ics"), feed=absolute("feed.xml"),
                        members=absolute(MEMBERS) if members is not None else None,
                        search_text=absolute(SEARCH_TEXT)),
        inspirations=inspirations, members=[member.url for member in members or ()])
    files = {MANIFEST: api_json(manifest)}
    if members is not None:
        files[MEMBERS] = api_json(MembersResponse(version=API_VERSION, count=len(members), members=members))
    return files


def case_summary(site: Site, case: CaseView, media: Media | None = None) -> CaseSummary:
    record = case.record
    thumbnail = media.thumbnail(case) if media else None
    return CaseSummary(
        id=case.id,
        url=site.settings.absolute(case.url),
        json=site.settings.absolute(f"{PREFIX}cases/{case.id}.json"),
        brand=BrandSummary(name=record.brand.name, slogan=record.brand.slogan,
                           launched=str(record.brand.launched) if record.brand.launched else None),
        community=CommunitySummary(name=record.community.name, kind=record.community.kind,
                                   kind_label=KIND_LABELS[record.community.kind]),
        region=record.community.region.model_dump(mode="json", exclude_none=True),
        summary=record.summary,
        themes=list(record.themes),
        groups=list(record.groups),
        updated=case.updated,
        thumbnail=site.settings.absolute(thumbnail.thumb[0].url) if thumbnail else None,
    )


def markdown_fields(case: CaseView) -> dict[str, str]:
    """Every Markdown field of a case by its field path, e.g. 'story.practices[0].body'."""
    return {dotted(loc): text for loc, text in sorted(markdown_values(case.record), key=lambda kv: str(kv[0]))}


def _case_file(site: Site, case: CaseView, prose: Prose) -> bytes:
    return api_json(CaseResponse(
        version=API_VERSION,
        id=case.id,
        url=site.settings.absolute(case.url),
        updated=case.updated.isoformat(),
        street=_place(site, case.street),
        district=_place(site, case.district),
        record=case.record.model_dump(mode="json", by_alias=True, exclude_none=True),
        html={path: prose.html(text) for path, text in markdown_fields(case).items()},
    )).encode()


def _place(site: Site, place: Place | None) -> Link | None:
    return Link(name=place.name, url=site.settings.absolute(place.url)) if place else None


def _taxonomy(site: Site) -> TaxonomyResponse:
    def vocabulary(name: str) -> list[Term]:
        counts = Counter(term for case in site.cases for term in getattr(case.record, name))
        return [Term(term=t.term, description=t.description, aliases=list(t.aliases), cases=counts[t.term])
                for t in getattr(site.taxonomy, name)]

    return TaxonomyResponse(version=API_VERSION, themes=vocabulary("themes"), groups=vocabulary("groups"),
                            kinds=[Kind(value=value, label=label) for value, label in KIND_LABELS.items()])


def api_json(response: BaseModel) -> str:
    """A response as published: its fields in model order, by their public names (pydantic's
    own serialiser: the same text as json.dumps(indent=2), a third of the time)."""
    return response.model_dump_json(by_alias=True, indent=2) + "\n"
