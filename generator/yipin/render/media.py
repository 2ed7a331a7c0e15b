"""What the page templates see of the images: per case its gallery, logo and card
thumbnail, each a Picture (images/variants.py). URLs are site-relative; the templates make
them page-relative with the `rel` filter."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from yipin.content.models import Image
from yipin.images import Focus
from yipin.images.variants import Picture
from yipin.site.derive import CaseView, Site

__all__ = ["GalleryItem", "Media", "case_images", "image_focus"]


def case_images(site: Site) -> list[str]:
    """Content-relative paths of every published image: galleries and logos."""
    paths = {image.src for case in site.cases for image in case.record.gallery}
    paths |= {case.record.brand.logo for case in site.cases if case.record.brand.logo}
    return sorted(paths)


def image_focus(site: Site) -> dict[str, Focus]:
    """The thumbnail focus of each picture whose gallery item names one. A file has one
    thumbnail: named with two focuses, the first case (by id) that names one decides."""
    found: dict[str, Focus] = {}
    for case in site.cases:
        for image in case.record.gallery:
            if image.focus:
                found.setdefault(image.src, (image.focus[0], image.focus[1]))
    return found


class GalleryItem(NamedTuple):
    image: Image       # the record: alt, caption, credit
    picture: Picture


@dataclass(frozen=True)
class Media:
    pictures: Mapping[str, Picture]   # content-relative source path → its variants

    def gallery(self, case: CaseView) -> list[GalleryItem]:
        return [GalleryItem(image, self.pictures[image.src]) for image in case.record.gallery]

    def logo(self, case: CaseView) -> Picture | None:
        return self.pictures[case.record.brand.logo] if case.record.brand.logo else None

    def thumbnail(self, case: CaseView) -> Picture | None:
        """The card picture: the first of the gallery, else the logo."""
        gallery = case.record.gallery
        return self.pictures[gallery[0].src] if gallery else self.logo(case)

    def files(self) -> Iterator[tuple[str, str]]:
        """Each published file once (two sources with the same bytes and name share URLs)."""
        seen: set[str] = set()
        for src in sorted(self.pictures):
            for variant in self.pictures[src].variants():
                if variant.url not in seen:
                    seen.add(variant.url)
                    yield variant.url, variant.path
