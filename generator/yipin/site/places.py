"""Streets and districts as pages: stable ASCII slugs from Chinese place names.

A street page exists whenever a case names the street. Its slug is the pinyin of the
district and street ("qingcheng-zhouxin"), so two 城关镇 in different counties never
collide; a remaining collision adds the city, then the province.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from pypinyin import lazy_pinyin

__all__ = ["place_slug", "unique_slugs"]

# Administrative suffixes that add nothing to a slug: 洲心街道 -> zhouxin, 清城区 -> qingcheng.
_SUFFIXES = ("街道办事处", "街道", "地区办事处", "自治县", "自治州", "自治区", "特别行政区",
             "省", "市", "区", "县", "镇", "乡")


def place_slug(name: str) -> str:
    core = name
    for suffix in _SUFFIXES:
        if core.endswith(suffix) and len(core) > len(suffix):
            core = core[: -len(suffix)]
            break
    text = "".join(lazy_pinyin(core, errors=lambda chars: [c for c in chars if c.isascii()]))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "place"


def unique_slugs(paths: Iterable[tuple[str, ...]], *, keep: int = 2) -> dict[tuple[str, ...], str]:
    """A slug for each administrative path (province, city, district[, street]), made of
    the last ``keep`` levels and lengthened towards the province only where two collide.
    Places whose whole paths read alike (石桥街道 and 时桥街道 in one district) keep the short
    slug with a hash of their names, so two pages never share an address."""
    paths = sorted(set(paths))
    alike = _alike(paths)
    depth = {path: min(keep, len(path)) for path in paths}
    while True:
        slugs = {path: _slug(path, depth[path]) for path in paths}
        seen: dict[str, list[tuple[str, ...]]] = {}
        for path, slug in slugs.items():
            seen.setdefault(slug, []).append(path)
        clashes = [p for group in seen.values() if len(group) > 1 for p in group if depth[p] < len(p) and p not in alike]
        if not clashes:
            break
        for path in clashes:
            depth[path] += 1
    for path in alike:
        slugs[path] = _slug(path, min(keep, len(path))) + "-" + hashlib.sha256("/".join(path).encode()).hexdigest()[:6]
    return slugs


def _slug(path: tuple[str, ...], depth: int) -> str:
    return "-".join(place_slug(part) for part in path[-depth:])


def _alike(paths: list[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """The paths whose slug at full length is another path's too."""
    whole: dict[str, list[tuple[str, ...]]] = {}
    for path in paths:
        whole.setdefault(_slug(path, len(path)), []).append(path)
    return {path for group in whole.values() if len(group) > 1 for path in group}
