"""Results of the pipeline's pure steps, kept between builds so a rebuild redoes only what
changed: a record is parsed and validated again only when its file's bytes change, a case
page is rendered again only when something it shows changes.

    <folder>/<table>.pickle     two pickles: the fingerprint, then {key: value}

A key is a hash of everything the step reads (the caller says what, next to the step); the
fingerprint covers the code: every module of this package, every page template and the
versions of the installed libraries, so a changed template or an upgraded library empties
every table. Each save keeps only the entries this build used, so a table never grows past
one site's worth. A missing, stale or unreadable table is an empty one; the folder can be
deleted at any time. Pickle is safe here for the same reason the code is: the folder
belongs to whoever runs the build.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import sys
import sysconfig
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from yipin.themes import PAGES

__all__ = ["BuildCache", "DEFAULT_FOLDER", "Table", "digest"]

DEFAULT_FOLDER = Path(".yipin-cache") / "build"
PACKAGE = Path(__file__).resolve().parent

T = TypeVar("T")


def digest(*parts: Any) -> str:
    """A key from plain values (str, bytes, numbers, dates, tuples of them): their pickle,
    which is deterministic for these types, hashed."""
    return hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=20).hexdigest()


@cache
def code_fingerprint() -> str:
    hasher = hashlib.blake2b(digest_size=20)
    for root, pattern in ((PACKAGE, "*.py"), (PAGES, "*")):  # the code, and the page templates it renders with
        for path in sorted(root.rglob(pattern)):
            hasher.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    # The environment's own libraries: sys.path may also hold the working directory.
    site_packages = sorted({sysconfig.get_paths()[kind] for kind in ("purelib", "platlib")})
    libraries = sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions(path=site_packages))
    hasher.update("\n".join([sys.version, *libraries]).encode())
    return hasher.hexdigest()


class Table:
    """One step's results by key."""

    def __init__(self, path: Path | None, entries: dict[str, Any]) -> None:
        self.path = path
        self._old = entries
        self.used: dict[str, Any] = {}

    def get(self, key: str, compute: Callable[[], T]) -> T:
        """The stored result for ``key``, or ``compute()`` stored under it."""
        if key in self.used:
            return self.used[key]
        value = self._old[key] if key in self._old else compute()
        self.used[key] = value
        return value

    def lookup(self, key: str) -> Any | None:
        """The stored result, or None (for a step whose failures must not be stored)."""
        value = self.used.get(key, self._old.get(key))
        if value is not None:
            self.used[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self.used[key] = value

    @property
    def hits(self) -> int:
        return sum(1 for key in self.used if key in self._old)

    def save(self) -> None:
        if self.path is None or self.used.keys() == self._old.keys():
            return  # nothing new; and an unchanged table is not rewritten
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(code_fingerprint(), out, protocol=5)  # first: a stale table is not read further
                pickle.dump(self.used, out, protocol=5)
            os.replace(temporary, self.path)  # a reader sees the old table or the new one
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


class BuildCache:
    def __init__(self, folder: Path | None) -> None:
        """``folder`` None: nothing is kept (every step runs, as on a first build)."""
        self.folder = folder
        self._tables: dict[str, Table] = {}

    def table(self, name: str) -> Table:
        if name not in self._tables:
            path = self.folder / f"{name}.pickle" if self.folder else None
            self._tables[name] = Table(path, _read(path) if path else {})
        return self._tables[name]

    def save(self) -> None:
        for table in self._tables.values():
            table.save()


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as stored:
            if pickle.load(stored) != code_fingerprint():
                return {}
            entries = pickle.load(stored)
    except Exception:  # noqa: BLE001 - missing, damaged or foreign: start afresh, never fail the build
        return {}
    return entries if isinstance(entries, dict) else {}
