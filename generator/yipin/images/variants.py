"""One source image as published: its variants (WebP, JPEG or PNG, several widths, a square
card thumbnail) with their site-relative URLs, sizes and files in the cache."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from yipin.images.plan import public_name, public_path

__all__ = ["Variant", "Picture"]

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
