"""The image stage of a build: plan every published case's images against the cache, make
the missing entries in a pool of worker processes with a visible progress, and return the
Media the templates and the writer use.

A warm build stats each source, reads one small meta.json per image and decodes nothing.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import YipinError
from .cache import ImageCache
from .encode import make_entry
from .media import Media, Picture
from .plan import RECIPE, Recipe, cache_key

if TYPE_CHECKING:
    from ..derive import Site

__all__ = ["prepare_images", "case_images"]


def case_images(site: Site) -> list[str]:
    """Content-relative paths of every published image: galleries and logos."""
    paths = {image.src for case in site.cases for image in case.record.gallery}
    paths |= {case.record.brand.logo for case in site.cases if case.record.brand.logo}
    return sorted(paths)


def prepare_images(root: Path, sources: Iterable[str], cache: ImageCache, workers: int = 0,
                   recipe: Recipe = RECIPE) -> Media:
    """Variants for ``sources`` (paths relative to ``root``), made where the cache lacks them.
    ``workers`` 0: one process per core. ``cache`` may be the one validation has just used."""
    fingerprint = recipe.fingerprint()
    keys = {src: cache_key(cache.sha256(os.path.join(root, src)), fingerprint) for src in sources}
    metas: dict[str, dict[str, Any]] = {}
    missing: dict[str, str] = {}  # key → one source with those bytes
    for src, key in keys.items():
        meta = cache.meta(key)
        if meta is None:
            missing.setdefault(key, src)
        else:
            metas[key] = meta
    for key, meta in _make(root, missing, cache, recipe, workers or os.cpu_count() or 1, len(metas)).items():
        cache.remember_entry(key, meta)
        metas[key] = meta
    cache.save()
    return Media({src: Picture.from_meta(src, key, cache.entry(key), metas[key]) for src, key in keys.items()})


def _make(root: Path, missing: dict[str, str], cache: ImageCache, recipe: Recipe, workers: int,
          cached: int) -> dict[str, dict[str, Any]]:
    if not missing:
        return {}
    progress = _Progress(len(missing), cached)
    made: dict[str, dict[str, Any]] = {}
    if workers == 1 or len(missing) == 1:  # no pool to start for one image
        for key, src in missing.items():
            made[key] = _result(src, lambda key=key, src=src: make_entry(root / src, cache.entry(key), recipe))
            progress.step()
    else:
        with ProcessPoolExecutor(min(workers, len(missing)), mp_context=_context()) as pool:
            futures: dict[Future[dict[str, Any]], tuple[str, str]] = {
                pool.submit(make_entry, root / src, cache.entry(key), recipe): (key, src) for key, src in missing.items()
            }
            for future in as_completed(futures):
                key, src = futures[future]
                made[key] = _result(src, future.result)
                progress.step()
    progress.close()
    return made


def _result(src: str, get: Any) -> dict[str, Any]:
    try:
        return get()
    except Exception as exc:  # validation decoded it; what is left is a disk or a Pillow problem
        raise YipinError(f"图片“{src}”处理失败：{exc}") from exc


def _context() -> Any:
    """forkserver: workers start clean, without the parent's threads (MkDocs' live server)."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class _Progress:
    """A bar on a terminal (tqdm); in CI logs, a plain line at about every tenth."""

    def __init__(self, total: int, cached: int) -> None:
        self.total, self.done, self.started = total, 0, time.monotonic()
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm
            self.bar = tqdm(total=total, desc="处理图片", unit="张", file=sys.stderr, leave=False)
        else:
            self._line(f"处理图片：{total} 张需要生成，{cached} 张已有缓存")

    def step(self) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update()
        elif self.done < self.total and self.done % max(1, self.total // 10) == 0:
            self._line(f"处理图片：{self.done}/{self.total}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        self._line(f"处理图片：完成 {self.total} 张，用时 {time.monotonic() - self.started:.1f} 秒")

    @staticmethod
    def _line(text: str) -> None:
        print(text, file=sys.stderr, flush=True)
