"""A case another site publishes, as a portal lists it. The canonical page stays on that
site: the portal links to it and never copies it. Only what the member's case list says is
known (api/v1/cases.json), checked there (network/members.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["RemoteCase"]


@dataclass(frozen=True)
class RemoteCase:
    member: str                      # the member site's name
    url: str                         # the case page on the member's site
    brand: str
    slogan: str | None
    community: str
    kind: str                        # urban, rural … as the record format names them
    region: tuple[str, str, str, str | None]   # province, city, district, street
    summary: str
    themes: tuple[str, ...]
    updated: date
    thumbnail: str | None            # the card picture on the member's site

    @property
    def street_key(self) -> tuple[str, ...] | None:
        return self.region if self.region[3] else None

    @property
    def district_key(self) -> tuple[str, ...]:
        return self.region[:3]
