"""What the page templates see of the images: each source's variants with their URLs and
sizes, and per case its gallery, logo and card thumbnail. URLs are site-relative; the
templates make them page-relative with the `rel` filter."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .plan import public_name, public_path

if TYPE_CHECKING:  # the image stage must not import the pipeline that imports it
    from ..derive import CaseView
    from ..models import Image

__all__ = ["Variant", "Picture", "GalleryItem", "Media"]

MIME = {"webp": "image/webp", "jpg": "image/jpeg", "png": "image/png"}
DEFAULT_WIDTH = 960  # the <img src> of browsers that ignore srcset


class Variant(NamedTuple):  # a tuple: a warm build of 5,000 images makes 40,000
    url: str        # site-relative: images/<hash8>/<name>-960.webp
    width: int
    height: int
    format: str     # webp | jpg | png
    path: str       # the finished file in the cache

    @property
    def file(self) -> Path:
        return Path(self.path)

    @property
    def mime(self) -> str:
        return MIME[self.format]


@dataclass(frozen=True)
class Picture:
    """Every variant of one source image, narrowest first."""

    webp: tuple[Variant, ...]
    fallback: tuple[Variant, ...]   # JPEG, or PNG for graphics and transparency
    thumb: tuple[Variant, Variant]  # square: WebP, fallback
    colour: str                     # placeholder: the average colour

    @property
    def large(self) -> Variant:
        return self.fallback[-1]

    @property
    def default(self) -> Variant:
        return next((v for v in reversed(self.fallback) if v.width <= DEFAULT_WIDTH), self.fallback[0])

    @property
    def width(self) -> int:
        return self.large.width

    @property
    def height(self) -> int:
        return self.large.height

    def variants(self) -> Iterator[Variant]:
        yield from (*self.webp, *self.fallback, *self.thumb)

    @classmethod
    def from_meta(cls, src: str, key: str, entry: str, meta: Mapping[str, Any]) -> Picture:
        name = public_name(src)
        webp: list[Variant] = []
        fallback: list[Variant] = []
        thumb: list[Variant] = []
        for label, fmt, width, height in reversed(meta["variants"]):  # encode writes the widest first, the thumb last
            variant = Variant(public_path(key, name, label, fmt), width, height, fmt, f"{entry}{os.sep}{label}.{fmt}")
            (thumb if label == "thumb" else webp if fmt == "webp" else fallback).append(variant)
        thumb.reverse()  # WebP first
        return cls(tuple(webp), tuple(fallback), (thumb[0], thumb[1]), meta["colour"])


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
