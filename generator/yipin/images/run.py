"""The image stage of a build: plan every source against the cache, make the missing
entries in a pool of worker processes with a visible progress, and return each source's
Picture (variants.py) for the templates and the writer. Other pictures drawn at build time
(the share posters, render/poster.py) are made as Jobs by the same cache and pool.

A warm build stats each source, reads one small meta.json per image and decodes nothing.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from yipin.errors import YipinError
from yipin.images.cache import ImageCache
from yipin.images.crop import Focus
from yipin.images.encode import make_entry
from yipin.images.plan import RECIPE, Recipe, cache_key
from yipin.images.variants import Picture
from yipin.utils.signals import STOPPING, signals_deferred
from yipin.utils.staging import sweep

__all__ = ["Job", "make_entries", "prepare_images"]

log = logging.getLogger(__name__)

STARTUP_SECONDS = 30  # a worker that takes longer to start is left to the pool


class Job(NamedTuple):
    """One cache entry to make: ``work(*args)`` writes it into its folder and returns its meta."""

    name: str                             # what an error names: 图片“images/x/park.jpg”
    work: Callable[..., dict[str, Any]]   # a module-level function: it is pickled to a worker
    args: tuple[Any, ...]


def prepare_images(root: Path, sources: Iterable[str], cache: ImageCache, workers: int = 0,
                   recipe: Recipe = RECIPE, focus: Mapping[str, Focus] | None = None) -> dict[str, Picture]:
    """Variants for ``sources`` (paths relative to ``root``), made where the cache lacks them.
    ``workers`` 0: one process per core. ``cache`` may be the one validation has just used.
    ``focus``: the thumbnail's focus of the sources that name one (crop.py)."""
    fingerprint, focus = recipe.fingerprint(), focus or {}
    keys = {src: cache_key(cache.sha256(os.path.join(root, src)), fingerprint, focus.get(src)) for src in sources}
    jobs: dict[str, Job] = {}
    for src, key in keys.items():  # one job per key: sources with the same bytes share it
        jobs.setdefault(key, Job(f"图片“{src}”", make_entry, (root / src, cache.entry(key), recipe, focus.get(src))))
    metas = make_entries(jobs, cache, workers, "处理图片")
    return {src: Picture.from_meta(src, key, cache.entry(key), metas[key]) for src, key in keys.items()}


def make_entries(jobs: Mapping[str, Job], cache: ImageCache, workers: int = 0,
                 label: str = "处理图片") -> dict[str, dict[str, Any]]:
    """The meta of each entry of ``jobs`` (by cache key): from the cache, or made in a pool of
    ``workers`` processes (0: one per core) with ``label`` on the progress lines."""
    metas: dict[str, dict[str, Any]] = {}
    missing: dict[str, Job] = {}
    for key, job in jobs.items():
        meta = cache.meta(key)
        if meta is None:
            missing[key] = job
        else:
            metas[key] = meta
    for key, meta in _make(missing, cache, workers or os.cpu_count() or 1, len(metas), label).items():
        cache.remember_entry(key, meta)
        metas[key] = meta
    cache.save()
    return metas


def _make(missing: dict[str, Job], cache: ImageCache, workers: int, cached: int,
          label: str) -> dict[str, dict[str, Any]]:
    if not missing:
        return {}
    progress = _Progress(len(missing), cached, label)
    made: dict[str, dict[str, Any]] = {}
    tasks = [(key, job.work, job.args) for key, job in missing.items()]
    if workers == 1 or len(missing) == 1:  # no pool to start for one image
        results: Iterable[tuple[str, Any]] = map(_make_one, tasks)
        for key, result in results:
            made[key] = _result(missing[key].name, result)
            progress.step()
    else:
        # Leaving the block, normally or not (an error, Ctrl-C, SIGTERM: signals.py), terminates
        # the workers: a stopped build leaves no process behind, and then no half-made entry.
        try:
            with _started_pool(min(workers, len(missing))) as pool:
                for key, result in pool.imap_unordered(_make_one, tasks):
                    made[key] = _result(missing[key].name, result)
                    progress.step()
        except BaseException:
            for key in missing:
                sweep(Path(cache.entry(key)))
            raise
    progress.close()
    return made


def _make_one(task: tuple[str, Callable[..., dict[str, Any]], tuple[Any, ...]]) -> tuple[str, Any]:
    """In a worker: (key, meta), or (key, the exception), so the parent can name the file."""
    key, work, args = task
    try:
        return key, work(*args)
    except Exception as exc:
        return key, exc


def _result(name: str, result: Any) -> dict[str, Any]:
    if isinstance(result, Exception):  # validation decoded it; what is left is a disk or a Pillow problem
        raise YipinError(f"{name}处理失败：{result}") from result
    return result


def _started_pool(size: int) -> Any:
    """A pool whose workers have all started. A worker still starting when the pool is
    terminated finds the pool's semaphores gone and prints a traceback; so Ctrl-C and SIGTERM
    wait (a fraction of a second) until every worker has checked in."""
    context = _context()
    ready = context.Barrier(size + 1)
    with signals_deferred():
        pool = context.Pool(size, initializer=_check_in, initargs=(ready,))
        try:
            ready.wait(timeout=STARTUP_SECONDS)
        except threading.BrokenBarrierError:  # a worker that failed to start: the pool replaces it
            pass
    return pool


def _check_in(ready: Any) -> None:
    """A worker's first act: take the signals back (its mask is the deferring parent's) but
    leave Ctrl-C to the parent, which stops the pool; then say it is ready."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)
    try:
        ready.wait(timeout=STARTUP_SECONDS)
    except threading.BrokenBarrierError:
        pass


def _context() -> Any:
    """forkserver: workers start clean, without the parent's threads (MkDocs' live server)."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class _Progress:
    """A bar on a terminal (tqdm); in CI logs, a plain line at about every tenth."""

    def __init__(self, total: int, cached: int, label: str) -> None:
        self.total, self.done, self.started, self.label = total, 0, time.monotonic(), label
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm
            self.bar = tqdm(total=total, desc=label, unit="张", file=sys.stderr, leave=False)
        else:
            self._line(f"{label}：{total} 张需要生成，{cached} 张已有缓存")

    def step(self) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update()
        elif self.done < self.total and self.done % max(1, self.total // 10) == 0:
            self._line(f"{self.label}：{self.done}/{self.total}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        self._line(f"{self.label}：完成 {self.total} 张，用时 {time.monotonic() - self.started:.1f} 秒")

    @staticmethod
    def _line(text: str) -> None:
        log.info(text)
