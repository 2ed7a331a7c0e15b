"""The image cache: finished variants by content hash, and a stat index so that an unchanged
source is recognised without reading it.

    <folder>/sources.json       the index: path → [size, mtime_ns, sha256]; sha256 →
                                [width, height] of a source that decoded whole (so `yipin
                                check` can skip it); and a copy of each entry's meta.json
    <folder>/<k[:2]>/<k>/       one entry per cache key k: the variant files and meta.json

Stat first, hash only when size or mtime changed (~2 µs against ~2 ms for a 3 MB photo).
An entry folder is written under a temporary name and renamed, so an entry that exists is
complete; two builds racing write the same bytes. The folder can be deleted at any time.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import PIL

from yipin.utils.files import write_atomic
from yipin.utils.staging import discard, new_staging

__all__ = ["ImageCache", "DEFAULT_FOLDER", "commit_entry", "write_entry"]

DEFAULT_FOLDER = Path(".yipin-cache") / "images"
INDEX = "sources.json"
META = "meta.json"
CHECK_RULES = 2  # bump when image_check accepts less: the sources it remembered are checked again


class ImageCache:
    def __init__(self, folder: Path | None) -> None:
        """``folder`` None: an index in memory only (nothing persists)."""
        self.folder = folder
        self._paths: dict[str, list[Any]] = {}
        self._checked: dict[str, list[int]] = {}
        self._entries: dict[str, dict[str, Any]] = {}  # one file read instead of one per image
        self._dirty = False
        if folder is not None:
            self._load(folder / INDEX)

    def _load(self, index: Path) -> None:
        try:
            data = json.loads(index.read_bytes())
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("pillow") == PIL.__version__:  # a new decoder re-checks
            self._paths, self._entries = data.get("paths", {}), data.get("entries", {})
            self._checked = data.get("checked", {}) if data.get("check_rules") == CHECK_RULES else {}

    def sha256(self, path: str | Path) -> str:
        """The content hash of ``path``, from the index while its size and mtime are unchanged."""
        key = os.path.abspath(path)  # not resolve(): a dozen lstat calls per file
        stat = os.stat(key)
        known = self._paths.get(key)
        if known and known[0] == stat.st_size and known[1] == stat.st_mtime_ns:
            return known[2]
        digest = _hash_file(key)
        self._paths[key] = [stat.st_size, stat.st_mtime_ns, digest]
        self._dirty = True
        return digest

    def checked_size(self, digest: str) -> tuple[int, int] | None:
        """(width, height) of a source with these bytes that already decoded whole."""
        size = self._checked.get(digest)
        return (size[0], size[1]) if size else None

    def remember_checked(self, digest: str, width: int, height: int) -> None:
        self._checked[digest] = [width, height]
        self._dirty = True

    def entry(self, key: str) -> str:
        """The entry's folder (a string: a warm build asks for thousands)."""
        assert self.folder is not None, "variants need a cache folder"
        return os.path.join(self.folder, key[:2], key)

    def meta(self, key: str) -> dict[str, Any] | None:
        """The finished entry's description, or None when it has to be made."""
        if self.folder is None:
            return None
        entry = self.entry(key)
        if key in self._entries and os.path.isdir(entry):
            return self._entries[key]
        try:
            with open(os.path.join(entry, META), "rb") as file:
                meta = json.loads(file.read())
        except (OSError, ValueError):
            return None
        self.remember_entry(key, meta)
        return meta

    def remember_entry(self, key: str, meta: dict[str, Any]) -> None:
        self._entries[key] = meta
        self._dirty = True

    def save(self) -> None:
        if self.folder is None or not self._dirty:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {"pillow": PIL.__version__, "check_rules": CHECK_RULES, "paths": self._paths, "checked": self._checked,
                "entries": self._entries}
        write_atomic(self.folder / INDEX, json.dumps(data, sort_keys=True, separators=(",", ":")).encode())
        self._dirty = False


def write_entry(entry: str, fill: Callable[[Path], dict[str, Any]]) -> dict[str, Any]:
    """Make the entry ``entry``: ``fill`` writes its files into a staging folder and returns
    the meta. A worker terminated meanwhile leaves its staging folder to staging.sweep()."""
    staging = new_staging(Path(entry), discard_at_exit=False)
    try:
        meta = fill(staging)
    except BaseException:
        discard(staging)
        raise
    commit_entry(staging, Path(entry), meta)
    return meta


def commit_entry(staging: Path, entry: Path, meta: dict[str, Any]) -> None:
    """Finish an entry written into ``staging`` (staging.new_staging) and rename it into place."""
    (staging / META).write_text(json.dumps(meta, sort_keys=True), encoding="utf-8")
    try:
        staging.rename(entry)
    except OSError:  # another build finished the same entry first: same bytes, keep theirs
        shutil.rmtree(staging, ignore_errors=True)


def _hash_file(path: str) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()
