"""A case as a card in a list (home, street and district pages): the same for this site's
cases and a portal's members' cases, whose cards link to their own sites."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from yipin.images import Picture
from yipin.render.media import Media
from yipin.site.derive import CaseView, Listed

__all__ = ["Card", "cards_of"]


class Card(NamedTuple):
    url: str                 # site-relative for this site's cases, absolute for a member's
    brand: str
    slogan: str | None
    place: tuple[str, ...]   # community, district, street: what the card shows of where
    summary: str
    themes: tuple[str, ...]
    picture: Picture | None  # this site's card picture
    image: str | None        # a member's card picture, on its own site
    member: str | None       # the member site, for its cases


def cards_of(items: Iterable[CaseView | Listed], media: Media | None) -> list[Card]:
    return [_card(item, media) for item in items]


def _card(item: CaseView | Listed, media: Media | None) -> Card:
    if isinstance(item, Listed):
        case = item.case
        return Card(case.url, case.brand, case.slogan, _place(case.community, case.region), case.summary,
                    case.themes, None, case.thumbnail, case.member)
    record = item.record
    return Card(item.url, record.brand.name, record.brand.slogan, _place(item.community, item.region),
                record.summary, tuple(record.themes), media.thumbnail(item) if media else None, None, None)


def _place(community: str, region: tuple[str, str, str, str | None]) -> tuple[str, ...]:
    return (community, region[2], *((region[3],) if region[3] else ()))
